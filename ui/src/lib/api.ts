// Talking to the gateway from the pages: the API key kept in localStorage, sent as a Bearer token, and asked for once.

const STORAGE_KEY = "llmgate.apiKey";

/** The gateway refused the key (401: none or unknown; 403: not allowed to see this). */
export class AuthError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export function storedKey(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function saveKey(key: string): void {
  try {
    if (key === "") localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, key);
  } catch {
    // storage disabled: the key lives as long as the page
  }
  memoryKey = key;
}

let memoryKey: string | null = null;

export function authHeaders(): Record<string, string> {
  const key = storedKey() ?? memoryKey;
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** fetch() with the stored key; 401 and 403 become AuthError with the gateway's message. */
export async function send(url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, {
    ...init,
    headers: { ...authHeaders(), ...(init.headers as Record<string, string>) },
  });
  if (res.status === 401 || res.status === 403) throw new AuthError(res.status, await errorMessage(res));
  return res;
}

export async function getJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await send(url, { ...init, headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(await errorMessage(res));
  return (await res.json()) as T;
}

/** The message of an OpenAI-shaped error body, or the status line. */
export async function errorMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: { message?: string } | string };
    if (typeof body.error === "string") return body.error;
    if (body.error?.message) return body.error.message;
  } catch {
    // not JSON
  }
  return `${res.status} ${res.statusText}${text ? `: ${text.slice(0, 200)}` : ""}`;
}

let pending: Promise<void> | undefined;

/**
 * Shows the key dialog (once, however many callers ask) and resolves when a key was saved. The key stays in
 * this browser's localStorage, for this gateway's origin only, and is sent as `Authorization: Bearer`.
 */
export function askForKey(reason: string): Promise<void> {
  const dialog = keyDialog();
  const error = dialog.querySelector<HTMLElement>("[data-key-error]");
  // The first time, the dialog's text says enough; after a refused key, the gateway's reason.
  if (error) error.textContent = authHeaders().authorization ? reason : "";
  if (pending) return pending;
  pending = new Promise<void>((resolve) => {
    const form = dialog.querySelector("form") as HTMLFormElement;
    const input = dialog.querySelector("input") as HTMLInputElement;
    input.value = "";
    const onSubmit = (event: SubmitEvent) => {
      event.preventDefault();
      if (input.value.trim() === "") {
        input.focus();
        return;
      }
      saveKey(input.value.trim());
      form.removeEventListener("submit", onSubmit);
      dialog.close();
      pending = undefined;
      resolve();
    };
    form.addEventListener("submit", onSubmit);
    if (!dialog.open) dialog.showModal();
    input.focus();
  });
  return pending;
}

/** Forgets the stored key (the "key" button in the header). */
export function forgetKey(): void {
  saveKey("");
}

function keyDialog(): HTMLDialogElement {
  let dialog = document.getElementById("key-dialog") as HTMLDialogElement | null;
  if (dialog) return dialog;
  dialog = document.createElement("dialog");
  dialog.id = "key-dialog";
  dialog.className = "key-dialog";
  dialog.innerHTML = `
    <form>
      <h2>API key needed</h2>
      <p>This gateway requires an API key for its dashboard and API. It is stored in this browser only
      (localStorage) and sent to this gateway as <code>Authorization: Bearer …</code>.</p>
      <label>API key <input type="password" name="key" autocomplete="off" spellcheck="false" required></label>
      <p class="key-error" data-key-error role="alert"></p>
      <div class="dialog-actions"><button type="submit" class="primary">Use this key</button></div>
    </form>`;
  // Escape would leave the page without data and no way back: the dialog stays until a key is given.
  dialog.addEventListener("cancel", (event) => event.preventDefault());
  document.body.append(dialog);
  return dialog;
}

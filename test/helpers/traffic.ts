// A mixed load through the gateway that touches every kind of series: successes on both APIs, streams and not,
// 4xx, 5xx before and after HTTP 200, mid-stream failures, embeddings.

/** Sends the mix to the gateway at `url` and resolves when every answer has been read. */
export async function driveMixedTraffic(url: string, models: { chat: string; embed: string }): Promise<void> {
  const chat = (content: string, stream: boolean) =>
    fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: models.chat, stream, messages: [{ role: "user", content }] }),
    }).then((r) => r.text());
  await Promise.all([
    ...Array.from({ length: 6 }, () => chat("hi [sim:tokens=5]", false)),
    ...Array.from({ length: 6 }, () => chat("hi [sim:tokens=5]", true)),
    chat("x [sim:fail]", false),
    chat("x [sim:fail=503]", true),
    chat("x [sim:midstream-fail]", true),
    fetch(`${url}/v1/chat/completions`, { method: "POST", body: "{" }).then((r) => r.text()),
    fetch(`${url}/v1/embeddings`, {
      method: "POST",
      body: JSON.stringify({ model: models.embed, input: "x" }),
    }).then((r) => r.text()),
    fetch(`${url}/api/chat`, {
      method: "POST",
      body: JSON.stringify({
        model: models.chat,
        messages: [{ role: "user", content: "hi [sim:tokens=3]" }],
      }),
    }).then((r) => r.text()),
  ]);
}

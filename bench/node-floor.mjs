#!/usr/bin/env node
// The Node floor: the least a Node gateway can do on these workloads. node:http in, one undici Pool out, bytes
// piped through untouched, no translation, validation, metrics or logs. Like the seed it rewrites
// /v1/chat/completions to /api/chat without touching the body, so it runs the seed's requests. What llmgate
// costs beyond this row is llmgate's own work; what this row costs beyond the seed is Node's.
//   LISTEN=127.0.0.1:18791 UPSTREAM=http://127.0.0.1:11434 node bench/node-floor.mjs

import { createServer } from "node:http";
import { Pool } from "undici";

const [host, port] = (process.env.LISTEN ?? "127.0.0.1:18791").split(":");
const pool = new Pool(process.env.UPSTREAM ?? "http://127.0.0.1:11434", { connections: 1024 });

createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const path = req.url === "/v1/chat/completions" ? "/api/chat" : req.url;
    pool
      .request({
        method: req.method,
        path,
        headers: { "content-type": "application/json" },
        body: Buffer.concat(chunks),
      })
      .then(
        async (up) => {
          res.writeHead(up.statusCode, { "content-type": up.headers["content-type"] ?? "application/json" });
          for await (const chunk of up.body)
            if (!res.write(chunk)) await new Promise((r) => res.once("drain", r));
          res.end();
        },
        () => {
          res.writeHead(502).end();
        },
      );
  });
}).listen({ port: Number(port), host, backlog: 65_535 }); // backlog: as llmgate, the kernel caps it at somaxconn

/**
 * GET /openapi.json (the document, api/openapi.ts) and GET /docs (it, rendered server-side as one HTML page
 * with no scripts and no external assets, so it works offline and under a strict CSP).
 *
 * Both are public (api/auth.ts PUBLIC_ROUTES): the document describes this open-source connector's API, is the
 * same for every installation and holds no data or configuration; and a browser cannot send the operator's
 * Bearer key when a person opens /docs. Every route it describes still needs its key; a reverse proxy should
 * expose only POST /webhooks/procore to the internet anyway.
 */
import express, { type Router } from 'express';
import { openApiDocument } from '../openapi';

type Json = Record<string, unknown>;
const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function resolveRef(doc: Json, schema: unknown): unknown {
  const ref = (schema as { $ref?: string } | undefined)?.$ref;
  if (!ref) return schema;
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], doc);
}

function renderSchema(doc: Json, schema: unknown): string {
  return `<pre>${esc(JSON.stringify(resolveRef(doc, schema), null, 2))}</pre>`;
}

export function renderDocs(doc: Json): string {
  const info = doc.info as Json;
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const sections = Object.entries(paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const secured = Array.isArray(op.security) && op.security.length > 0;
      const scheme = secured ? Object.keys((op.security as Json[])[0])[0] : 'public';
      const params = ((op.parameters as Json[] | undefined) ?? [])
        .map(
          (p) =>
            `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? 'yes' : ''}</td><td>${esc(
              (p.description as string | undefined) ?? JSON.stringify(p.schema),
            )}</td></tr>`,
        )
        .join('');
      const body = (op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
      const responses = Object.entries((op.responses as Record<string, Json>) ?? {})
        .map(([status, r]) => {
          const content = r.content as Record<string, Json> | undefined;
          const schema = content?.['application/json']?.schema;
          return `<li><b>${esc(status)}</b> ${esc(r.description)}${schema ? `<details><summary>schema</summary>${renderSchema(doc, schema)}</details>` : ''}</li>`;
        })
        .join('');
      const anchor = `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-');
      return `<section id="${anchor}">
<h2><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code> <small>${esc(scheme)}</small></h2>
<p>${esc(op.summary ?? '')}</p>${op.description ? `<p>${esc(op.description)}</p>` : ''}
${params ? `<h3>Parameters</h3><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr>${params}</table>` : ''}
${
  body
    ? `<h3>Request body</h3>${Object.entries(body)
        .map(([type, c]) => `<p><code>${esc(type)}</code></p>${renderSchema(doc, c.schema)}`)
        .join('')}`
    : ''
}
<h3>Responses</h3><ul>${responses}</ul>
</section>`;
    }),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(info.title)} — API docs</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
section{border-top:1px solid #ddd;padding:.5rem 0}h2{font-size:1.1rem}h2 small{color:#777;font-weight:normal}
.m{display:inline-block;min-width:4rem;text-align:center;border-radius:4px;color:#fff;font-size:.85rem;padding:.1rem .4rem}
.get{background:#2b7bb9}.post{background:#3a9d5d}.put{background:#c98a1b}.delete{background:#c0392b}.patch{background:#8e44ad}
pre{background:#f6f8fa;padding:.5rem;overflow:auto;font-size:.8rem}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem}
</style></head><body>
<h1>${esc(info.title)} <small>${esc(info.version)}</small></h1>
<p>${esc(info.description ?? '')}</p>
<p>Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI ${esc(doc.openapi)}).</p>
${sections.join('\n')}
</body></html>`;
}

export function openApiRouter(): Router {
  const router = express.Router();
  const doc = openApiDocument() as unknown as Json;
  const html = renderDocs(doc);
  router.get('/openapi.json', (_req, res) => {
    res.json(doc);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(html);
  });
  return router;
}

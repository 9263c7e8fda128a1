/**
 * How a Procore document is named in messages, the Web UI and Acumatica descriptions: its number (its id when it
 * has none) and title, and the label made of both.
 */
export function documentName(doc: { id: string | number; number?: string | null; title?: string | null }) {
  const number = doc.number ?? String(doc.id);
  const title = doc.title ?? '';
  return { number, title, label: `${number} ${title}`.trim() };
}

import type { KafkaMessage } from '../../../../_queries/messages';

// Spreadsheet apps run cells starting with these as formulas (CSV injection); a leading apostrophe
// keeps them text. Only free-text columns get it: partition, offset and timestamp are numbers we made.
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: string, freeText: boolean): string {
  const v = freeText && FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function messagesToCsv(messages: KafkaMessage[]): string {
  const header = ['partition', 'offset', 'timestamp', 'key', 'value', 'headers'];
  const rows = messages.map((m) =>
    [
      csvCell(String(m.partition), false),
      csvCell(m.offset, false),
      csvCell(m.timestamp === null ? '' : String(m.timestamp), false),
      csvCell(m.key ?? '', true),
      csvCell(m.value ?? '', true),
      csvCell(m.headers.length ? JSON.stringify(m.headers) : '', true),
    ].join(','),
  );
  return [header.join(','), ...rows].join('\r\n') + '\r\n';
}

export function messagesToJson(topic: string, messages: KafkaMessage[]): string {
  return JSON.stringify({ topic, exportedAt: new Date().toISOString(), messages }, null, 2);
}

/** A client-side download: nothing goes back to the server, so the file is exactly the page shown. */
export function download(filename: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

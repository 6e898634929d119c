/** @module Numbers' labels as rows, one per number and label, indexed by label so a customer's view finds its numbers without a scan. */

export const LABEL_TABLES = [
  `CREATE TABLE IF NOT EXISTS number_labels (phone TEXT NOT NULL, label TEXT NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY (phone, label))`,
  `CREATE INDEX IF NOT EXISTS number_labels_by_label ON number_labels (label, phone)`,
]

/** Every labelled number's labels, in the order they were given. */
export function readAllLabels(sql: SqlStorage): Map<string, string[]> {
  const found = new Map<string, string[]>()
  for (const row of sql.exec<{ phone: string; label: string }>('SELECT phone, label FROM number_labels ORDER BY phone, pos').toArray()) {
    const list = found.get(row.phone)
    if (list) list.push(row.label)
    else found.set(row.phone, [row.label])
  }
  return found
}

/** Replaces a number's labels ([] removes them). */
export function writeLabels(sql: SqlStorage, phone: string, labels: readonly string[]): void {
  sql.exec('DELETE FROM number_labels WHERE phone = ?', phone)
  labels.forEach((label, pos) => sql.exec('INSERT INTO number_labels (phone, label, pos) VALUES (?, ?, ?)', phone, label, pos))
}

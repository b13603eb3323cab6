/*
 * Lucid models from rows PostgreSQL returned as JSON (`row_to_json`, `json_agg`): several small
 * reads of one request answered by one statement (docs/decisions/0018-fewer-statements-per-request.md).
 *
 * JSON carries timestamps as ISO strings (`2026-09-01T08:00:00.123456+00:00`), which Lucid's
 * datetime columns would parse as SQL text and get wrong; they are turned into Date objects first,
 * as the pg driver would have returned them. Everything else (text, numbers, booleans, jsonb,
 * `date` as YYYY-MM-DD) is what the driver returns too, or what the models' own `consume` reads.
 */
import type { LucidModel, LucidRow } from '@adonisjs/lucid/types/model'

const datetimeColumns = new WeakMap<LucidModel, string[]>()

function datetimeColumnsOf(model: LucidModel) {
  let names = datetimeColumns.get(model)
  if (!names) {
    names = []
    for (const column of model.$columnsDefinitions.values()) {
      if (column.meta?.type === 'datetime') names.push(column.columnName)
    }
    datetimeColumns.set(model, names)
  }
  return names
}

/** One model instance from a JSON row (column names as keys), or null. */
export function fromJsonRow<T extends LucidModel>(model: T, row: unknown): InstanceType<T> | null {
  if (!row || typeof row !== 'object') return null
  const values: Record<string, unknown> = { ...(row as Record<string, unknown>) }
  for (const name of datetimeColumnsOf(model)) {
    const value = values[name]
    if (typeof value === 'string') values[name] = new Date(value)
  }
  return model.$createFromAdapterResult(values) as InstanceType<T> & LucidRow
}

/** Model instances from a JSON array of rows (`json_agg`); null or not an array gives none. */
export function fromJsonRows<T extends LucidModel>(model: T, rows: unknown): InstanceType<T>[] {
  if (!Array.isArray(rows)) return []
  return rows.map((row) => fromJsonRow(model, row)!).filter(Boolean)
}

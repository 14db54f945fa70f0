import type { ComponentChildren } from "preact";
import { setQuery, useRoute } from "../route.ts";

export interface Column<Row> {
  key: string;
  title: string;
  /** What the column sorts by; a column without it is not sortable. */
  sortValue?: (row: Row) => string | number;
  render: (row: Row) => ComponentChildren;
  /** data-field on the cell, for tests and styling. */
  field?: string;
}

export interface SortableTableProps<Row> {
  label: string;
  rows: Row[];
  columns: Column<Row>[];
  rowKey: (row: Row) => string;
  rowProps?: (row: Row) => Record<string, string | undefined>;
  /** Query parameter prefix when a page has more than one table ("leases" → leases.sort). */
  name?: string;
  defaultSort?: string;
  empty?: ComponentChildren;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/**
 * A table whose headers sort it (click again to reverse). The order lives in the URL, so a sorted view is
 * a link like any other. Wrapped in a scroller so wide tables scroll inside the page on a phone.
 */
export function SortableTable<Row>(props: SortableTableProps<Row>) {
  const { query } = useRoute();
  const prefix = props.name ? `${props.name}.` : "";
  const sortKey = query.get(`${prefix}sort`) ?? props.defaultSort ?? "";
  const descending = query.get(`${prefix}dir`) === "desc";
  const column = props.columns.find((c) => c.key === sortKey && c.sortValue);
  const rows = column
    ? [...props.rows].sort((a, b) => compare(column.sortValue!(a), column.sortValue!(b)))
    : props.rows;
  if (column && descending) rows.reverse();
  const sortBy = (key: string) =>
    setQuery({ [`${prefix}sort`]: key, [`${prefix}dir`]: key === sortKey && !descending ? "desc" : "" }, {
      replace: true,
    });
  return (
    <div class="table-scroll">
      <table class="grid" aria-label={props.label}>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                aria-sort={c.key === column?.key ? (descending ? "descending" : "ascending") : undefined}
              >
                {c.sortValue
                  ? (
                    <button type="button" class="sort" data-sort={c.key} onClick={() => sortBy(c.key)}>
                      {c.title}
                    </button>
                  )
                  : c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={props.rowKey(row)} {...props.rowProps?.(row)}>
              {props.columns.map((c) => <td key={c.key} data-field={c.field ?? c.key}>{c.render(row)}</td>)}
            </tr>
          ))}
          {rows.length === 0 && props.empty && (
            <tr>
              <td colSpan={props.columns.length} class="muted">{props.empty}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return collator.compare(String(a), String(b));
}

// Unique keys a project declares for its tables, read statically from its files (never run):
//
// - Prisma schemas (`*.prisma`): a field's `@unique` or `@id`, a model's `@@unique([a, b])` or
//   `@@id([a, b])`; `@@map("t")` and `@map("c")` give the table's and the columns' own names.
// - SQL files (migrations): `CREATE TABLE t (... UNIQUE, PRIMARY KEY, UNIQUE (a, b), CONSTRAINT n
//   UNIQUE (a, b))`, `CREATE UNIQUE INDEX n ON t (a, b)`, `ALTER TABLE t ADD [CONSTRAINT n] UNIQUE
//   (a, b)`; read in path order (migration names sort by date), so a later `DROP CONSTRAINT n`,
//   `DROP INDEX n` or `DROP TABLE t` removes what it names.
// - SQLAlchemy models (`*.py` with `__tablename__`): `Column(..., unique=True)`,
//   `mapped_column(..., primary_key=True)`, `UniqueConstraint('a', 'b')`.
//
// A primary key the database makes itself (`@id @default(...)`, `serial`, `identity`, a column
// default, an Integer SQLAlchemy key) is marked `generated`: an insert that leaves it out gets a new
// one every time, so it never refuses a repeat. A partial unique index (`WHERE ...`) is not read.

import fs from 'node:fs';
import path from 'node:path';

export interface DeclaredUniqueKey {
  /** The key's columns as declared (field names for Prisma). */
  columns: string[];
  /** Every name each column is known by (a Prisma field and its `@map` name), lower-cased. */
  names: string[][];
  /** A primary key the database fills in itself when the insert leaves it out. */
  generated: boolean;
  file: string;
  line: number;
  /** The constraint or index name, written or as PostgreSQL makes it (`t_a_b_key`, `t_pkey`). */
  constraint?: string;
}

const MAX_FILES = 400;
const MAX_BYTES = 1_000_000;
const cache = new Map<string, Map<string, DeclaredUniqueKey[]>>();

/** The declared unique keys by table (every name it is known by, lower-cased, without quotes or schema). */
export function declaredUniqueKeys(root: string): Map<string, DeclaredUniqueKey[]> {
  const cached = cache.get(root);
  if (cached) return cached;
  const files: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 8 || files.length >= MAX_FILES) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        // A folder of old or set-aside migrations (`migrations_backup`, `archive`) does not describe the database.
        if (!/^(node_modules|dist|build|\..*|__pycache__|venv|\.venv|site-packages)$/.test(entry.name) && !/backup|archive|deprecated|(^|[_-])old($|[_-])/i.test(entry.name)) walk(path.join(dir, entry.name), depth + 1);
      } else if (entry.isFile() && /\.(prisma|sql|py)$/.test(entry.name) && files.length < MAX_FILES * 10) files.push(path.join(dir, entry.name));
    }
  };
  walk(root, 0);
  const tables = new Map<string, DeclaredUniqueKey[]>();
  // `table.column` of the columns the SQL declares AUTO_FILLED, lower-cased.
  const autoFilled = new Set<string>();
  const add = (names: string[], key: DeclaredUniqueKey): void => {
    for (const name of new Set(names.map(tableName))) {
      const keys = tables.get(name) ?? [];
      keys.push(key);
      tables.set(name, keys);
    }
  };
  let read = 0;
  for (const file of files) {
    if (read >= MAX_FILES) break;
    let text: string;
    try {
      if (fs.statSync(file).size > MAX_BYTES) continue;
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (file.endsWith('.prisma')) prismaKeys(file, text, add);
    else if (file.endsWith('.sql')) sqlKeys(file, text, tables, add, autoFilled);
    else if (text.includes('__tablename__')) sqlalchemyKeys(file, text, add);
    else continue;
    read++;
  }
  // A key on the same columns as a generated primary key declared elsewhere (a Prisma `@id @default(cuid())`
  // whose migration writes a plain `PRIMARY KEY ("id")`) is that key: generated too.
  for (const [table, keys] of tables) {
    // A key with a column the database fills anew on each insert (`PRIMARY KEY (id, created_at)` where `id` is a
    // bigserial) never collides on a repeat that leaves it to the database.
    for (const key of keys) if (key.columns.some((column) => autoFilled.has(`${table}.${normalColumn(column)}`))) key.generated = true;
    const generated = keys.filter((key) => key.generated).map((key) => key.columns.map(normalColumn).sort().join(','));
    for (const key of keys) if (generated.includes(key.columns.map(normalColumn).sort().join(','))) key.generated = true;
  }
  cache.set(root, tables);
  return tables;
}

/** `"public"."Campaign"` → `campaign`. */
export function tableName(text: string): string {
  return text.replace(/[`"'[\]]/g, '').replace(/^.*\./, '').toLowerCase();
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

function prismaKeys(file: string, text: string, add: (names: string[], key: DeclaredUniqueKey) => void): void {
  for (const match of text.matchAll(/^[ \t]*model\s+(\w+)\s*\{([^}]*)\}/gm)) {
    const body = match[2]!;
    const bodyStart = match.index! + match[0].indexOf('{') + 1;
    const mapped = /@@map\(\s*(?:name\s*:\s*)?"([^"]+)"/.exec(body)?.[1];
    const fieldNames = new Map<string, string[]>();
    for (const line of body.split('\n')) {
      const field = /^\s*(\w+)\s+\w/.exec(line);
      if (field && !line.trim().startsWith('@@') && !line.trim().startsWith('//')) {
        const column = /@map\(\s*(?:name\s*:\s*)?"([^"]+)"/.exec(line)?.[1];
        fieldNames.set(field[1]!, [field[1]!.toLowerCase(), ...(column ? [column.toLowerCase()] : [])]);
      }
    }
    let offset = 0;
    for (const line of body.split('\n')) {
      const at = bodyStart + offset;
      offset += line.length + 1;
      if (line.trim().startsWith('//')) continue;
      const compound = /@@(unique|id)\s*\(\s*(?:fields\s*:\s*)?\[([^\]]*)\]/.exec(line);
      let columns: string[] | undefined;
      let generated = false;
      if (compound) columns = compound[2]!.split(',').map((field) => field.trim().replace(/\(.*$/, '')).filter(Boolean);
      else {
        const field = /^\s*(\w+)\s+\S+.*@(unique|id)\b/.exec(line);
        if (field) {
          columns = [field[1]!];
          // An @id with a default is made by the database: a row without it gets a new one each time.
          generated = field[2] === 'id' && /@default\(/.test(line);
        }
      }
      if (!columns || columns.length === 0) continue;
      add([match[1]!, ...(mapped ? [mapped] : [])], {
        columns,
        names: columns.map((column) => fieldNames.get(column) ?? [column.toLowerCase()]),
        generated,
        file,
        line: lineAt(text, at),
      });
    }
  }
}

/** Splits at the commas outside parentheses. */
function topLevel(body: string): { text: string; offset: number }[] {
  const parts: { text: string; offset: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push({ text: body.slice(start, i), offset: start });
      start = i + 1;
    }
  }
  parts.push({ text: body.slice(start), offset: start });
  return parts;
}

/** `a, "b", lower(c)` → `[a, b, c]`; undefined when a part is not a column. */
function columnList(text: string): string[] | undefined {
  const columns = text.split(',').map((part) => {
    const inner = /^\s*\w+\s*\(\s*([`"\w]+)\s*\)\s*$/.exec(part)?.[1] ?? part;
    return inner.trim().replace(/\s+(asc|desc)\b.*$/i, '').replace(/[`"[\]]/g, '');
  });
  return columns.every((column) => /^\w+$/.test(column)) ? columns : undefined;
}

/** A key part that has a value whatever the insert sets (`coalesce(c, '')`). */
const ALWAYS_SET = '\u0000always';

const NAME = '((?:[`"]?\\w+[`"]?\\.)?[`"]?\\w+[`"]?)';

/** A column the database fills with a new value on each insert: a sequence, an identity, a random id, the clock. */
const AUTO_FILLED = /\b(serial|bigserial|smallserial|identity|autoincrement|auto_increment)\b|default\s+(gen_random_uuid|uuid_generate_\w+|nextval|now\s*\(|current_timestamp|uuid\s*\()/i;
function sqlKeys(file: string, original: string, tables: Map<string, DeclaredUniqueKey[]>, add: (names: string[], key: DeclaredUniqueKey) => void, autoFilled: Set<string>): void {
  // Comments blanked with spaces so offsets (and lines) stay where they were.
  const text = original.replace(/--[^\n]*/g, (comment) => ' '.repeat(comment.length)).replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
  const key = (table: string, columns: string[], generated: boolean, index: number, constraint: string | undefined, primary: boolean): void => {
    const name = tableName(table);
    add([name], {
      columns,
      names: columns.map((column) => [column.toLowerCase()]),
      generated,
      file,
      line: lineAt(text, index),
      constraint: (constraint ? tableName(constraint) : primary ? `${name}_pkey` : `${name}_${columns.join('_')}_key`).toLowerCase(),
    });
  };
  const statements = /\b(create\s+table|create\s+unique\s+index|alter\s+table|drop\s+index|drop\s+table)\b/gi;
  for (const found of text.matchAll(statements)) {
    const start = found.index!;
    const end = text.indexOf(';', start);
    const statement = text.slice(start, end < 0 ? undefined : end);
    const kind = found[1]!.toLowerCase().replace(/\s+/g, ' ');
    if (kind === 'create table') {
      const head = new RegExp(`^create\\s+table\\s+(?:if\\s+not\\s+exists\\s+)?${NAME}\\s*\\(`, 'i').exec(statement);
      if (!head) continue;
      const bodyStart = head[0].length;
      const close = statement.lastIndexOf(')');
      if (close < bodyStart) continue;
      for (const part of topLevel(statement.slice(bodyStart, close))) {
        const item = part.text.trim();
        const at = start + bodyStart + part.offset + (part.text.length - part.text.trimStart().length);
        const constraint = /^constraint\s+([`"]?\w+[`"]?)\s+/i.exec(item);
        const rest = constraint ? item.slice(constraint[0].length) : item;
        const table = /^(unique|primary\s+key)\s*\(([^)]*)\)/i.exec(rest);
        if (table) {
          const columns = columnList(table[2]!);
          if (columns) key(head[1]!, columns, false, at, constraint?.[1], /^primary/i.test(table[1]!));
          continue;
        }
        if (/^(foreign|check|exclude|index|key)\b/i.test(rest)) continue;
        const column = /^([`"]?\w+[`"]?)\s+(.*)$/s.exec(item);
        if (!column) continue;
        const definition = column[2]!;
        const primary = /\bprimary\s+key\b/i.test(definition);
        if (AUTO_FILLED.test(definition)) autoFilled.add(`${tableName(head[1]!)}.${normalColumn(column[1]!)}`);
        if (primary || /\bunique\b/i.test(definition)) {
          const generated = primary && /\b(serial|bigserial|smallserial|identity|autoincrement|auto_increment|default)\b/i.test(definition);
          key(head[1]!, [column[1]!.replace(/[`"]/g, '')], generated, at, undefined, primary);
        }
      }
    } else if (kind === 'create unique index') {
      const index = new RegExp(`^create\\s+unique\\s+index\\s+(?:concurrently\\s+)?(?:if\\s+not\\s+exists\\s+)?(?:${NAME}\\s+)?on\\s+(?:only\\s+)?${NAME}\\s*(?:using\\s+\\w+\\s*)?\\(([^;]*)\\)`, 'i').exec(statement);
      if (!index || /\)\s*(include\s*\([^)]*\)\s*)?where\b/i.test(statement)) continue;
      const columns = columnList(index[3]!);
      if (columns) key(index[2]!, columns, false, start, index[1], false);
      else {
        // An index on expressions, named as written: a plain column matches the insert's columns, `coalesce(c, '')` always
        // has a value (an unset column collides too), any other expression is never matched.
        const parts = topLevel(index[3]!).map((part) => part.text.trim().replace(/\s+/g, ' '));
        const names = parts.map((part) => (/^[`"]?\w+[`"]?$/.test(part) ? [part.replace(/[`"]/g, '').toLowerCase()] : /^coalesce\s*\(\s*[`"]?\w+[`"]?\s*,\s*'[^']*'\s*\)$/i.test(part) ? [ALWAYS_SET] : []));
        add([tableName(index[2]!)], { columns: parts, names, generated: false, file, line: lineAt(text, start), ...(index[1] ? { constraint: tableName(index[1]) } : {}) });
      }
    } else if (kind === 'alter table') {
      const head = new RegExp(`^alter\\s+table\\s+(?:if\\s+exists\\s+)?(?:only\\s+)?${NAME}\\s+`, 'i').exec(statement);
      if (!head) continue;
      for (const clause of topLevel(statement.slice(head[0].length))) {
        const item = clause.text.trim();
        const added = /^add\s+(?:constraint\s+([`"]?\w+[`"]?)\s+)?(unique|primary\s+key)\s*(?:nulls\s+(?:not\s+)?distinct\s*)?\(([^)]*)\)/i.exec(item);
        if (added) {
          const columns = columnList(added[3]!);
          if (columns) key(head[1]!, columns, false, start, added[1], /^primary/i.test(added[2]!));
          continue;
        }
        const dropped = /^drop\s+constraint\s+(?:if\s+(?:not\s+)?exists\s+)?([`"]?\w+[`"]?)/i.exec(item);
        if (dropped) drop(tables, tableName(dropped[1]!));
      }
    } else if (kind === 'drop index') {
      for (const name of statement.replace(/^drop\s+index\s+(?:concurrently\s+)?(?:if\s+exists\s+)?/i, '').replace(/\b(cascade|restrict)\b/gi, '').split(',')) drop(tables, tableName(name.trim()));
    } else if (kind === 'drop table') {
      for (const name of statement.replace(/^drop\s+table\s+(?:if\s+exists\s+)?/i, '').replace(/\b(cascade|restrict)\b/gi, '').split(',')) tables.delete(tableName(name.trim()));
    }
  }
}

function drop(tables: Map<string, DeclaredUniqueKey[]>, constraint: string): void {
  for (const [table, keys] of tables) {
    const kept = keys.filter((key) => key.constraint !== constraint);
    if (kept.length !== keys.length) tables.set(table, kept);
  }
}

function sqlalchemyKeys(file: string, text: string, add: (names: string[], key: DeclaredUniqueKey) => void): void {
  const classes = [...text.matchAll(/^class\s+(\w+)\s*\([^)]*\)\s*:/gm)];
  classes.forEach((match, i) => {
    const start = match.index!;
    const end = i + 1 < classes.length ? classes[i + 1]!.index! : text.length;
    const body = text.slice(start, end);
    const table = /^\s+__tablename__\s*=\s*["'](\w+)["']/m.exec(body)?.[1];
    if (!table) return;
    const names = [match[1]!, table];
    for (const column of body.matchAll(/^\s+(\w+)\s*(?::\s*[^=\n]+)?=\s*(?:sa\.|db\.)?(Column|mapped_column)\(([^\n]*)/gm)) {
      const args = column[3]!;
      const primary = /\bprimary_key\s*=\s*True\b/.test(args);
      if (!primary && !/\bunique\s*=\s*True\b/.test(args)) continue;
      const name = /^\s*["'](\w+)["']/.exec(args)?.[1] ?? column[1]!;
      const generated = primary && (/\b(Integer|BigInteger|SmallInteger|autoincrement\s*=\s*True|default\s*=|server_default\s*=)/.test(args) || /^\s+\w+\s*:\s*Mapped\[\s*int\s*\]/.test(column[0]));
      add(names, { columns: [name], names: [[name.toLowerCase()]], generated, file, line: lineAt(text, start + column.index! + (column[0].length - column[0].trimStart().length)) });
    }
    for (const constraint of body.matchAll(/(?:sa\.)?(UniqueConstraint|PrimaryKeyConstraint)\(([^)]*)\)/g)) {
      const columns = [...constraint[2]!.matchAll(/(?:^|,)\s*["'](\w+)["']/g)].map((found) => found[1]!);
      if (columns.length === 0) continue;
      add(names, { columns, names: columns.map((column) => [column.toLowerCase()]), generated: false, file, line: lineAt(text, start + constraint.index!) });
    }
  });
}

/**
 * What the declared keys of `table` say about an insert that sets `columns` (undefined: not
 * known): `covers` the first key other than a generated id whose columns the insert all sets;
 * `others` the keys other than a generated id (whether the insert sets them is not known, or it
 * does not); `declared` whether any declaration of the table was found at all.
 */
export function uniqueKeysFor(root: string, table: string, columns: string[] | undefined): { declared: boolean; covers?: DeclaredUniqueKey; others: DeclaredUniqueKey[] } {
  const keys = declaredUniqueKeys(root).get(tableName(table));
  if (!keys) return { declared: false, others: [] };
  const others = keys.filter((key) => !key.generated);
  if (!columns) return { declared: true, others };
  const set = new Set(columns.map(normalColumn));
  const covers = others.find((key) => key.names.every((alternatives) => alternatives.some((name) => name === ALWAYS_SET || set.has(normalColumn(name)))));
  return { declared: true, ...(covers ? { covers } : {}), others };
}

/** A value that is new on every run (a random id, the clock, a sequence) or may be null: it never makes a repeat collide. */
const FRESH_OR_NULL = /^(null|default|undefined|none)$|gen_random_uuid|uuid_generate|\buuid\s*\(|newid\s*\(|nextval|\bnow\s*\(|current_timestamp|\brandom\s*\(|\bcuid\s*\(/i;

/**
 * The columns an `INSERT INTO t (a, b, c) VALUES (...)` sets to a value a retry repeats: a column
 * whose value is new on each run (`gen_random_uuid()`, `now()`) or null is left out. Undefined when
 * the columns are not listed or the values cannot be paired with them.
 */
export function sqlInsertColumns(sql: string): string[] | undefined {
  const match = /^\s*insert\s+into\s+[`"']?[\w.]+[`"']?\s*\(([^)]*)\)\s*values\s*\(/i.exec(sql);
  if (!match) return undefined;
  const columns = match[1]!.split(',').map((column) => column.trim().replace(/[`"']/g, ''));
  if (!columns.every((column) => /^\w+$/.test(column))) return undefined;
  let depth = 1;
  let end = match[0].length;
  for (; end < sql.length && depth > 0; end++) {
    if (sql[end] === '(') depth++;
    else if (sql[end] === ')') depth--;
  }
  if (depth !== 0) return undefined;
  const values = topLevel(sql.slice(match[0].length, end - 1)).map((part) => part.text.trim());
  if (values.length !== columns.length) return undefined;
  return columns.filter((_, i) => !FRESH_OR_NULL.test(values[i]!));
}

function normalColumn(name: string): string {
  // `user_id` and `userId` (an ORM's field for the column) are one name.
  return name.replace(/[`"'_]/g, '').toLowerCase();
}

// The whole-file history scanner, compiled to WebAssembly (AssemblyScript; `npm run build` turns
// it into dist/model/history/history-scanner.wasm). It walks a history file's JSON by recursive
// descent, estimates every event's protobuf size, and writes a tape of only the values the event
// normalizer reads; src/model/history/whole-text-reader.ts builds the event objects from that tape.
// Walking every token here instead of in JavaScript is what makes history analysis several
// times faster than the SDK's historyFromJSON on histories of many small events.
//
// It mirrors json-event-stream.ts, the streaming parser, rule for rule: the same kept values, the
// same size estimate (proto-size.ts) and the same field flags (field-flags.ts, passed in per name
// by the glue). Anything it does not accept (a syntax error, nesting over 400 levels, a tape or
// name table that fills up) makes it give up; the glue then streams the file, and the streaming
// parser words the problem. Tests compare the two parsers on every shared history, on thousands
// of mutants and on generated histories.

// Field flags, as in field-flags.ts.
const KEEP: i32 = 1;
const SKIP: i32 = 2;
const DATA: i32 = 4;
const ENUM: i32 = 8;
const METADATA: i32 = 16;
const ATTRIBUTES: i32 = 32;
const REPEATS: i32 = 64;
// Flags only the scanner needs, given by the glue per name.
const EVENT_TYPE: i32 = 128;
const EVENTS: i32 = 256;
const HISTORY: i32 = 512;
const BOOKKEEPING: i32 = 1024;
const TIME: i32 = 2048;
/** A name's info is its flags plus its length (UTF-16 units, as JavaScript counts) shifted by this. */
const FLAG_BITS: i32 = 12;

// Tape records: one int, op | name id << 4 (0: no name, an array element), then the op's operands.
// Kept strings and numbers are copied to the text area, which the glue turns into one string.
const OP_STR: i32 = 1; // at, length: a kept string (in the text area, quotes excluded)
const OP_NAME: i32 = 2; // id: a kept string that repeats (event types, names, encodings)
const OP_LONG: i32 = 3; // from, to (in the file), decoded base64 bytes: a string too long to keep
const OP_NUM: i32 = 4; // at, length (in the text area)
const OP_TRUE: i32 = 5;
const OP_FALSE: i32 = 6;
const OP_NULL: i32 = 7;
const OP_OBJECT: i32 = 8; // members follow, then OP_END
const OP_ARRAY: i32 = 9; // elements follow, then OP_END
const OP_END: i32 = 10;
const OP_DIGITS: i32 = 11; // n: a kept string of up to 9 digits without a leading zero, as its number
const OP_EVENT: i32 = 12; // size: an event (its members follow, then OP_END)
const OP_MEMBER: i32 = 13; // a member of the root object that is not the events (then OP_END)
const OP_TIME: i32 = 14; // low, high: an event time as epoch milliseconds (the bits of an f64)

// step() results
const STEP_MORE: i32 = 1;
const STEP_DONE: i32 = 0;
const STEP_GIVE_UP: i32 = -1;

// How values are read: their kept values put on the tape (BUILD); only checked the way the
// streaming parser would when it keeps them (CHECK: the attributes of bookkeeping events, which
// nothing reads); or only measured (MEASURE: inside skipped objects, whose values nothing keeps).
const BUILD: i32 = 2;
const CHECK: i32 = 1;
const MEASURE: i32 = 0;

/** Nesting deeper than this is left to the streaming parser (as in the JavaScript readers). */
const MAX_DEPTH: i32 = 400;
/** Tag and length prefix of a nested message or array element (proto-size.ts). */
const CONTAINER_BYTES: i32 = 3;

// Memory: the name table, its bytes, the tape, then the file (with PADDING bytes after it).
const NAME_SLOTS: i32 = 1 << 15;
/** The table gives up past this many names (the glue resets it between files when it fills). */
export const MAX_NAMES: i32 = 1 << 14;
const ARENA_BYTES: i32 = 1 << 20;
const PREDICT_SLOTS: i32 = 1 << 16;
/** Key prediction context of event-level keys, plus the event type's name id once read. */
const EVENT_CONTEXT: i32 = 1 << 20;
const ROOT_CONTEXT: i32 = 2 << 20;
/** Prediction context of repeated values (event types, names), plus their key's id. */
const VALUE_CONTEXT: i32 = 3 << 20;
export const TAPE_INTS: i32 = 1 << 20;
export const TEXT_BYTES: i32 = 1 << 20;
/** After the file: quotes, so that every scan stops inside the memory (see giveUpAtEnd). */
const PADDING: i32 = 64;

@external('env', 'newName')
declare function newName(id: i32, from: i32, to: i32, isKey: bool): i32;

// Memory layout (set by the first prepare()) and how much of each area is used.
let slotsPtr: usize = 0; // NAME_SLOTS entries of 2 ints: hash, name id (0: empty)
let idsPtr: usize = 0; // per name id, 4 ints: its info, arena offset, length
let predictPtr: usize = 0; // PREDICT_SLOTS name ids: the key expected next (see key())
let arenaPtr: usize = 0; // the bytes of every name
let arenaUsed: i32 = 0;
let names: i32 = 0;
let tapePtr: usize = 0;
let tapeAt: usize = 0;
let textPtr: usize = 0;
let textAt: usize = 0;
let inputPtr: usize = 0;
/** Set when the tape or the text area filled up (see step()). */
let full = false;

// The scan of the current file.
let pos: usize = 0;
let end: usize = 0;
let maxString: i32 = 256;
/** Inside an event: values count towards its size. */
let inEvent = false;
let size: i32 = 0;
/** The name id of the last key read, or of the last repeated value (see event()). */
let lastName: i32 = 0;
/** Where step() is in the root object (S_*), and how deep: 1 in the root, 2 in its "history". */
let state: i32 = 0;
let level: i32 = 0;
let sawEvents = false;
let previousRootKey: i32 = 0;
/** The last repeated value read (name id), for predicting the next. */
let lastValue: i32 = 0;

/** Lays out memory for files up to `bytes` and returns where the file goes. */
export function prepare(bytes: i32): usize {
  if (slotsPtr == 0) {
    const base = (__heap_base + 15) & ~15;
    slotsPtr = base;
    idsPtr = slotsPtr + <usize>NAME_SLOTS * 8;
    predictPtr = idsPtr + <usize>(MAX_NAMES + 1) * 16;
    arenaPtr = predictPtr + <usize>PREDICT_SLOTS * 4;
    tapePtr = arenaPtr + <usize>ARENA_BYTES;
    textPtr = tapePtr + <usize>TAPE_INTS * 4;
    inputPtr = textPtr + <usize>TEXT_BYTES;
  }
  const needed = inputPtr + <usize>bytes + <usize>PADDING;
  const have = <usize>memory.size() << 16;
  if (needed > have) {
    if (memory.grow(<i32>((needed - have + 0xffff) >> 16)) < 0) return 0;
  }
  return inputPtr;
}

/** Forgets every name (the glue forgets its copies too). */
export function resetNames(): void {
  memory.fill(slotsPtr, 0, <usize>NAME_SLOTS * 8);
  memory.fill(predictPtr, 0, <usize>PREDICT_SLOTS * 4);
  names = 0;
  arenaUsed = 0;
}

export function nameCount(): i32 {
  return names;
}

export function tape(): usize {
  return tapePtr;
}

/** Ints written to the tape by the last step. */
export function tapeLength(): i32 {
  return <i32>((tapeAt - tapePtr) >> 2);
}

export function text(): usize {
  return textPtr;
}

/** Bytes written to the text area by the last step. */
export function textLength(): i32 {
  return <i32>(textAt - textPtr);
}

/** Starts on a file of `length` bytes (already at prepare()'s address). */
export function begin(length: i32, maxStringLength: i32): void {
  pos = inputPtr;
  end = inputPtr + <usize>length;
  memory.fill(end, 34, PADDING);
  maxString = maxStringLength;
  state = S_START;
  level = 0;
  sawEvents = false;
  inEvent = false;
  previousRootKey = 0;
}

// step() states
const S_START: i32 = 0;
const S_MEMBERS: i32 = 1; // just inside a root object's opening brace
const S_MEMBER: i32 = 2; // at a root object's next key
const S_AFTER_MEMBER: i32 = 3;
const S_EVENTS: i32 = 4; // at an events array's opening bracket
const S_EVENT: i32 = 5;
const S_AFTER_EVENT: i32 = 6;
const S_END: i32 = 7;

/**
 * Reads on, leaving events (OP_EVENT records) and root members that are not events (OP_MEMBER
 * records) on the tape, until the tape or the string area is full (STEP_MORE: the glue takes
 * what is there and calls again) or the file ends (STEP_DONE at the end of a well-formed history,
 * with the last records on the tape). STEP_GIVE_UP when the file is anything else. Root objects
 * are `{"events": [...]}` or `{"history": {"events": [...]}}`; a bare array is the events array.
 */
export function step(): i32 {
  tapeAt = tapePtr;
  textAt = textPtr;
  for (;;) {
    if (state == S_START) {
      ws();
      const c = load<u8>(pos);
      if (c == 91) {
        state = S_EVENTS;
      } else if (c == 123) {
        level = 1;
        state = S_MEMBERS;
      } else {
        return STEP_GIVE_UP;
      }
    } else if (state == S_MEMBERS) {
      pos++;
      previousRootKey = 0;
      ws();
      if (load<u8>(pos) == 125) {
        pos++;
        closeLevel();
      } else {
        state = S_MEMBER;
      }
    } else if (state == S_MEMBER) {
      const mark = pos;
      const previousMark = previousRootKey;
      const info = key(previousRootKey, ROOT_CONTEXT + level);
      if (info < 0) return STEP_GIVE_UP;
      previousRootKey = lastName;
      const c = load<u8>(pos);
      if ((info & EVENTS) != 0 && c == 91) {
        sawEvents = true;
        state = S_EVENTS;
      } else if (level == 1 && (info & HISTORY) != 0 && c == 123) {
        level = 2;
        state = S_MEMBERS;
      } else {
        // built and dropped by the glue, as the streaming parser does, so it is checked the same way
        const flags = info & ((1 << FLAG_BITS) - 1);
        const tapeMark = tapeAt;
        const textMark = textAt;
        full = false;
        let read = room(1);
        if (read) {
          put(OP_MEMBER);
          read = value(flags, 0, BUILD, (flags & KEEP) != 0, 1, lastName, info >> FLAG_BITS, lastName) && room(1);
        }
        if (!read) {
          if (!full || tapeMark == tapePtr) return STEP_GIVE_UP;
          // full: read it again on the next step, with the tape to itself
          pos = mark;
          previousRootKey = previousMark;
          tapeAt = tapeMark;
          textAt = textMark;
          return STEP_MORE;
        }
        put(OP_END);
        state = S_AFTER_MEMBER;
      }
    } else if (state == S_AFTER_MEMBER) {
      const closed = endOf(125);
      if (closed < 0) return STEP_GIVE_UP;
      if (closed == 1) closeLevel();
      else state = S_MEMBER;
    } else if (state == S_EVENTS) {
      pos++;
      ws();
      if (load<u8>(pos) == 93) {
        pos++;
        afterEvents();
      } else {
        state = S_EVENT;
      }
    } else if (state == S_EVENT) {
      if (load<u8>(pos) != 123) return STEP_GIVE_UP;
      const mark = pos;
      const tapeMark = tapeAt;
      const textMark = textAt;
      full = false;
      if (!event()) {
        if (!full || tapeMark == tapePtr) return STEP_GIVE_UP;
        // full: read it again on the next step, with the tape to itself
        pos = mark;
        tapeAt = tapeMark;
        textAt = textMark;
        inEvent = false;
        return STEP_MORE;
      }
      state = S_AFTER_EVENT;
    } else if (state == S_AFTER_EVENT) {
      const closed = endOf(93);
      if (closed < 0) return STEP_GIVE_UP;
      if (closed == 1) afterEvents();
      else state = S_EVENT;
    } else {
      ws();
      return pos == end && sawEvents ? STEP_DONE : STEP_GIVE_UP;
    }
  }
  return STEP_GIVE_UP; // not reached
}

function afterEvents(): void {
  if (level == 0) {
    // a bare events array
    sawEvents = true;
    state = S_END;
  } else {
    state = S_AFTER_MEMBER;
  }
}

/** A root object's closing brace was read. */
function closeLevel(): void {
  level--;
  state = level == 0 ? S_END : S_AFTER_MEMBER;
}

/** One event object (at its opening brace); its size goes to `size`. */
function event(): bool {
  if (!room(2)) return false;
  put(OP_EVENT);
  const sizeAt = tapeAt;
  put(0);
  size = 0;
  inEvent = true;
  pos++;
  ws();
  if (load<u8>(pos) == 125) {
    pos++;
  } else {
    let bookkeeping = false;
    let previous = 0;
    // event-level keys are predicted per event type (their attributes key differs)
    let context = EVENT_CONTEXT;
    for (;;) {
      const info = key(previous, context);
      if (info < 0) return false;
      const flags = info & ((1 << FLAG_BITS) - 1);
      const id = lastName;
      previous = id;
      if (bookkeeping && (flags & ATTRIBUTES) != 0) {
        // the attributes of workflow task and timer events: measured and checked, not built (never read)
        if (!value(flags, 0, CHECK, false, 2, id, info >> FLAG_BITS, id)) return false;
      } else {
        const isString = load<u8>(pos) == 34;
        lastName = 0;
        if (!value(flags, 0, BUILD, (flags & KEEP) != 0, 2, id, info >> FLAG_BITS, id)) return false;
        if ((flags & EVENT_TYPE) != 0 && isString) {
          bookkeeping = lastName != 0 && (infoOf(lastName) & BOOKKEEPING) != 0;
          context = EVENT_CONTEXT + lastName;
        }
      }
      const closed = endOf(125);
      if (closed < 0) return false;
      if (closed == 1) break;
    }
  }
  inEvent = false;
  if (!room(1)) return false;
  put(OP_END);
  store<i32>(sizeAt, size);
  return true;
}

/**
 * One value. `flags`: its key's flags (0 in arrays); `parentFlags`: the flags of the key its
 * container sits under; `mode`: BUILD (kept values go on the tape), CHECK (kept values are only
 * checked) or MEASURE; `keep`: the streaming parser keeps this value if it is a scalar; `id`: its
 * key's name id (0 in arrays); `keyLength`: its key's length (metadata sizes); `context`: the key
 * prediction context of a container's members (its key's id).
 */
function value(flags: i32, parentFlags: i32, mode: i32, keep: bool, depth: i32, id: i32, keyLength: i32, context: i32): bool {
  const c = load<u8>(pos);
  if (c == 34) {
    const from = pos + 1;
    const q = closingQuote(from);
    if (q >= end) return false;
    const length = <i32>(q - from);
    const long = length > maxString;
    const base64 = (flags & DATA) != 0 || (parentFlags & METADATA) != 0;
    if (inEvent) {
      size += long ? 3 + (base64 ? base64Bytes(from, q) : length) : stringFieldSize(from, q, flags, parentFlags, keyLength);
    }
    pos = q + 1;
    if (!keep || mode == MEASURE) return true;
    // the streaming parser decodes the strings it keeps: one with a bad escape is an error there
    if (mode == CHECK) return long || validEscapes(from, q);
    if (long) {
      if (!room(4)) return false;
      put(OP_LONG | (id << 4));
      put(<i32>(from - inputPtr));
      put(<i32>(q - inputPtr));
      put(base64Bytes(from, q));
      return true;
    }
    if (((flags & REPEATS) != 0 || (parentFlags & METADATA) != 0) && load<u8>(q - 1) != 92) {
      // predicted from the key and the last such value (event types follow each other in patterns)
      const slot = predictPtr + ((<usize>((<u32>lastValue * 0x9e3779b1) ^ (<u32>(VALUE_CONTEXT + id) * 0x85ebca6b)) >> 16) << 2);
      const predicted = load<i32>(slot);
      let name = 0;
      if (predicted != 0 && nameIs(predicted, from, length)) {
        name = predicted;
      } else {
        name = intern(from, q, false);
        if (name < 0) return false;
        if (name > 0) store<i32>(slot, name);
      }
      lastValue = name;
      if (name > 0) {
        lastName = name;
        if (!room(2)) return false;
        put(OP_NAME | (id << 4));
        put(name);
        return true;
      }
      // the table is full: kept as a plain string
    }
    // event times: parsed here, as the normalizer would (see parseTime)
    if ((flags & TIME) != 0) {
      const ms = parseTime(from, q);
      if (ms > 1e11 && ms <= 1e14) {
        if (!room(3)) return false;
        const bits = reinterpret<i64>(ms);
        put(OP_TIME | (id << 4));
        put(<i32>bits);
        put(<i32>(bits >>> 32));
        return true;
      }
    }
    // event ids: a number the glue turns back into the same text, without slicing it
    if (length > 0 && length <= 9 && (length == 1 || load<u8>(from) != 48) && digitsUntil(from, q) == q) {
      if (!room(2)) return false;
      put(OP_DIGITS | (id << 4));
      put(digitsValue(from, q));
      return true;
    }
    return copied(OP_STR | (id << 4), from, q);
  }
  if (c == 123) return object(flags, (flags & SKIP) == 0 ? mode : MEASURE, depth, id, context);
  if (c == 91) return array(flags, (flags & SKIP) == 0 ? mode : MEASURE, depth, id, context);
  if (c == 45 || (c >= 48 && c <= 57)) {
    const from = pos;
    let p = pos + 1;
    let d = load<u8>(p);
    while ((d >= 48 && d <= 57) || d == 46 || d == 101 || d == 69 || d == 43 || d == 45) d = load<u8>(++p);
    if (p > end) return false;
    if (inEvent) size += 1 + varintBytesForDigits(<i32>(p - from));
    pos = p;
    if (!keep || mode == MEASURE) return true;
    // the streaming parser reads the numbers it keeps with Number(): one that is NaN is an error there
    if (mode == CHECK) return validNumber(from, p);
    return copied(OP_NUM | (id << 4), from, p);
  }
  if (c == 116) {
    // true
    if (load<u8>(pos + 1) != 114 || load<u8>(pos + 2) != 117 || load<u8>(pos + 3) != 101) return false;
    pos += 4;
    if (inEvent) size += 2;
    return !keep || mode != BUILD || literal(OP_TRUE, id);
  }
  if (c == 102) {
    // false
    if (load<u8>(pos + 1) != 97 || load<u8>(pos + 2) != 108 || load<u8>(pos + 3) != 115 || load<u8>(pos + 4) != 101) return false;
    pos += 5;
    if (inEvent) size += 2;
    return !keep || mode != BUILD || literal(OP_FALSE, id);
  }
  if (c == 110) {
    // null
    if (load<u8>(pos + 1) != 117 || load<u8>(pos + 2) != 108 || load<u8>(pos + 3) != 108) return false;
    pos += 4;
    return !keep || mode != BUILD || literal(OP_NULL, id);
  }
  return false;
}

/** A record of a kept string or number, its bytes [from, to) copied to the text area. */
function copied(head: i32, from: usize, to: usize): bool {
  const length = to - from;
  if (!room(3) || textAt + length > textPtr + <usize>TEXT_BYTES) {
    full = true;
    return false;
  }
  put(head);
  put(<i32>(textAt - textPtr));
  put(<i32>length);
  memory.copy(textAt, from, length);
  textAt += length;
  return true;
}

function literal(op: i32, id: i32): bool {
  if (!room(1)) return false;
  put(op | (id << 4));
  return true;
}

/** An object under a key with `flags` (its members' parent flags); `context`: see value(). */
function object(flags: i32, mode: i32, depth: i32, id: i32, context: i32): bool {
  if (!open(OP_OBJECT | (id << 4), mode, depth)) return false;
  if (load<u8>(pos) == 125) {
    pos++;
  } else {
    let previous = 0;
    for (;;) {
      const info = key(previous, context);
      if (info < 0) return false;
      const memberFlags = info & ((1 << FLAG_BITS) - 1);
      const member = lastName;
      previous = member;
      const keep = (memberFlags & KEEP) != 0 || (flags & METADATA) != 0;
      if (!value(memberFlags, flags, mode, keep, depth + 1, member, info >> FLAG_BITS, member)) return false;
      const closed = endOf(125);
      if (closed < 0) return false;
      if (closed == 1) break;
    }
  }
  return close(mode);
}

/** An array under a key with `flags` (its elements' parent flags); its elements share its `context`. */
function array(flags: i32, mode: i32, depth: i32, id: i32, context: i32): bool {
  if (!open(OP_ARRAY | (id << 4), mode, depth)) return false;
  if (load<u8>(pos) == 93) {
    pos++;
  } else {
    for (;;) {
      if (!value(0, flags, mode, false, depth + 1, 0, 0, context)) return false;
      const closed = endOf(93);
      if (closed < 0) return false;
      if (closed == 1) break;
    }
  }
  return close(mode);
}

/** Enters a container (at its bracket): counts it, records it when built, skips the space after. */
// @ts-ignore: decorator
@inline function open(head: i32, mode: i32, depth: i32): bool {
  if (depth > MAX_DEPTH) return false;
  if (inEvent) size += CONTAINER_BYTES;
  if (mode == BUILD) {
    if (!room(1)) return false;
    put(head);
  }
  pos++;
  ws();
  return true;
}

/** Leaves a container (its closing bracket read): records the end when built. */
// @ts-ignore: decorator
@inline function close(mode: i32): bool {
  if (mode == BUILD) {
    if (!room(1)) return false;
    put(OP_END);
  }
  return true;
}

/**
 * `"key"` and its colon and the space after; returns the name's info (its id in lastName), -1 to
 * give up. Keys come in the same order event after event, so the key that followed `previous`
 * in `context` last time is checked first: one comparison of its bytes instead of a hash lookup.
 */
function key(previous: i32, context: i32): i32 {
  if (load<u8>(pos) != 34) return -1;
  const from = pos + 1;
  const slot = predictPtr + ((<usize>((<u32>previous * 0x9e3779b1) ^ (<u32>context * 0x85ebca6b)) >> 16) << 2);
  const predicted = load<i32>(slot);
  let id = 0;
  let q: usize = 0;
  if (predicted != 0) {
    const length = load<i32>(idsPtr + (<usize>predicted << 4), 8);
    // a name that matches its bytes and is followed by a quote ends there (the bytes decide escapes)
    if (from + <usize>length < end && load<u8>(from + <usize>length) == 34 && nameIs(predicted, from, length)) {
      id = predicted;
      q = from + <usize>length;
    }
  }
  if (id == 0) {
    q = closingQuote(from);
    if (q >= end) return -1;
    id = intern(from, q, true);
    if (id <= 0) return -1;
    store<i32>(slot, id);
  }
  pos = q + 1;
  ws();
  if (load<u8>(pos) != 58) return -1;
  pos++;
  ws();
  lastName = id;
  return infoOf(id);
}

/** Whether name `id` is the `length` bytes at `from`. */
function nameIs(id: i32, from: usize, length: i32): bool {
  const record = idsPtr + (<usize>id << 4);
  return load<i32>(record, 8) == length && sameBytes(from, arenaPtr + <usize>load<i32>(record, 4), <usize>length);
}

// @ts-ignore: decorator
@inline function infoOf(id: i32): i32 {
  return load<i32>(idsPtr + (<usize>id << 4));
}

function sameBytes(a: usize, b: usize, length: usize): bool {
  let i: usize = 0;
  while (i + 4 <= length) {
    if (load<u32>(a + i) != load<u32>(b + i)) return false;
    i += 4;
  }
  while (i < length) {
    if (load<u8>(a + i) != load<u8>(b + i)) return false;
    i++;
  }
  return true;
}

/** After a member or element: 1 at the closing bracket (consumed), 0 after a comma (consumed, space skipped), -1 otherwise. */
function endOf(close: i32): i32 {
  ws();
  const c = <i32>load<u8>(pos);
  if (c == close) {
    pos++;
    return 1;
  }
  if (c != 44) return -1;
  pos++;
  ws();
  return 0;
}

// @ts-ignore: decorator
@inline function ws(): void {
  let p = pos;
  let c = load<u8>(p);
  while (c == 32 || c == 10 || c == 13 || c == 9) {
    p++;
    c = load<u8>(p);
    if (c == 32) {
      // a run of indentation: 16 bytes at a time
      for (;;) {
        const mask = ~i8x16.bitmask(i8x16.eq(v128.load(p), i8x16.splat(32))) & 0xffff;
        if (mask != 0) {
          p += <usize>ctz(mask);
          break;
        }
        p += 16;
      }
      c = load<u8>(p);
    }
  }
  pos = p;
}

/**
 * The closing quote of the string whose content starts at `from`: the first quote not escaped by
 * a backslash (as findQuote in json-text.ts decides it). At or past `end` when the file ends first.
 */
function closingQuote(from: usize): usize {
  let p = from;
  for (;;) {
    const mask = i8x16.bitmask(special(v128.load(p)));
    if (mask == 0) {
      p += 16;
      // a long string (payload data): 64 bytes at a time while none is a quote or a backslash
      while (p + 64 <= end && !v128.any_true(v128.or(v128.or(special(v128.load(p)), special(v128.load(p, 16))), v128.or(special(v128.load(p, 32)), special(v128.load(p, 48)))))) p += 64;
      if (p >= end + 16) return end;
      continue;
    }
    p += <usize>ctz(mask);
    if (load<u8>(p) == 34) return p;
    // a backslash escapes the character after it
    p += 2;
    if (p > end) return end;
  }
  return end; // not reached
}

/** The lanes of `v` that hold a quote or a backslash. */
// @ts-ignore: decorator
@inline function special(v: v128): v128 {
  return v128.or(i8x16.eq(v, i8x16.splat(34)), i8x16.eq(v, i8x16.splat(92)));
}

/**
 * The name id of the bytes [from, to), added (and described by the glue) when new; -1 to give up
 * (the glue refused it, or the table of a `key` is full); 0 when the table is full for a value.
 */
function intern(from: usize, to: usize, isKey: bool): i32 {
  const length = <i32>(to - from);
  let hash: u32 = 0x811c9dc5 ^ <u32>length;
  let p = from;
  while (p + 4 <= to) {
    hash = (hash ^ load<u32>(p)) * 0x01000193;
    hash ^= hash >> 15;
    p += 4;
  }
  while (p < to) {
    hash = (hash ^ <u32>load<u8>(p)) * 0x01000193;
    p++;
  }
  hash ^= hash >> 13;
  let slot = <i32>(hash & <u32>(NAME_SLOTS - 1));
  for (;;) {
    const entry = slotsPtr + (<usize>slot << 3);
    const id = load<i32>(entry, 4);
    if (id == 0) break;
    if (load<u32>(entry) == hash && nameIs(id, from, length)) return id;
    slot = (slot + 1) & (NAME_SLOTS - 1);
  }
  if (names >= MAX_NAMES || arenaUsed + length > ARENA_BYTES) return isKey ? -1 : 0;
  const info = newName(names + 1, <i32>(from - inputPtr), <i32>(to - inputPtr), isKey);
  if (info < 0) return -1;
  const id = ++names;
  const entry = slotsPtr + (<usize>slot << 3);
  memory.copy(arenaPtr + <usize>arenaUsed, from, <usize>length);
  store<u32>(entry, hash);
  store<i32>(entry, id, 4);
  const record = idsPtr + (<usize>id << 4);
  store<i32>(record, info);
  store<i32>(record, arenaUsed, 4);
  store<i32>(record, length, 8);
  arenaUsed += length;
  return id;
}

// @ts-ignore: decorator
@inline function room(ints: i32): bool {
  if (tapeAt + (<usize>ints << 2) <= tapePtr + (<usize>TAPE_INTS << 2)) return true;
  full = true;
  return false;
}

// @ts-ignore: decorator
@inline function put(v: i32): void {
  store<i32>(tapeAt, v);
  tapeAt += 4;
}

/** Size of the string field [from, to) (as stringFieldSize in proto-size.ts). */
function stringFieldSize(from: usize, to: usize, flags: i32, parentFlags: i32, keyLength: i32): i32 {
  const length = <i32>(to - from);
  if (length == 0) return 0;
  if ((flags & DATA) != 0) return 3 + base64Bytes(from, to);
  if ((parentFlags & METADATA) != 0) return 4 + keyLength + base64Bytes(from, to);
  if ((flags & ENUM) != 0) return 2;
  const first = load<u8>(from);
  if (first >= 48 && first <= 57) {
    if (length <= 20 && digitsUntil(from, to) == to) return 1 + varintBytesForDigits(length);
    // 2020-07-30T00:30:02.971655189Z: a Timestamp message
    if (length >= 20 && length <= 40 && load<u8>(from + 4) == 45 && load<u8>(from + 10) == 84) return 14;
    // 10s, 0.5s: a Duration message
    if (load<u8>(to - 1) == 115 && length <= 24) return 8;
  } else if (first == 45 && length <= 21 && digitsUntil(from + 1, to) == to) {
    return 11;
  }
  return 2 + length;
}

/**
 * 2024-08-14T03:50:59.998228Z as epoch milliseconds, computed with exactly the arithmetic of
 * parseUtcTimestamp in event-normalizer.ts (so the result is the same double); NaN for anything
 * that function would not read the same way (the glue then hands over the text instead).
 * Date.parse rolls days past a month's end over (2024-02-30 is March 1st), and so does this.
 */
function parseTime(from: usize, to: usize): f64 {
  const length = <i32>(to - from);
  if (length < 20 || load<u8>(from + 10) != 84 || load<u8>(to - 1) != 90 || load<u8>(from + 13) != 58 || load<u8>(from + 16) != 58) return NaN;
  if (load<u8>(from + 4) != 45 || load<u8>(from + 7) != 45) return NaN;
  const year = digitsAt(from, 4);
  const month = digitsAt(from + 5, 2);
  const day = digitsAt(from + 8, 2);
  const hours = digitsAt(from + 11, 2);
  const minutes = digitsAt(from + 14, 2);
  const seconds = digitsAt(from + 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 60) return NaN;
  let millis: f64 = 0;
  if (length > 20) {
    if (load<u8>(from + 19) != 46) return NaN;
    let scale: f64 = 100;
    for (let p = from + 20; p < to - 1; p++) {
      const digit = <i32>load<u8>(p) - 48;
      if (digit < 0 || digit > 9) return NaN;
      millis += <f64>digit * scale;
      scale /= 10;
    }
  }
  const dayMs = <f64>daysFromCivil(year, month, day) * 86400000;
  return dayMs + <f64>(((hours * 60 + minutes) * 60 + seconds) * 1000) + millis;
}

/** The number written by `count` digits at p; -1 when one is not a digit. */
function digitsAt(p: usize, count: i32): i32 {
  let n = 0;
  for (let i = 0; i < count; i++) {
    const digit = <i32>load<u8>(p + <usize>i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/** Days from 1970-01-01 to the given date (H. Hinnant's days_from_civil; day may pass the month's end). */
function daysFromCivil(year: i32, month: i32, day: i32): i32 {
  const y = month <= 2 ? year - 1 : year;
  const era = (y >= 0 ? y : y - 399) / 400;
  const yoe = y - era * 400;
  const doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Whether captureText (json-text.ts) decodes the string [from, to): one without a backslash
 * always; one with a backslash when every escape is valid JSON and no character is a control
 * character (JSON.parse decides it; UTF-8 decoding before it never makes an ASCII character).
 */
function validEscapes(from: usize, to: usize): bool {
  let p = from;
  while (p < to && load<u8>(p) != 92) p++;
  if (p == to) return true;
  for (p = from; p < to; p++) {
    const c = load<u8>(p);
    if (c < 32) return false;
    if (c != 92) continue;
    p++;
    if (p >= to) return false;
    const e = load<u8>(p);
    if (e == 117) {
      // \uXXXX
      if (p + 4 >= to) return false;
      for (let i: usize = 1; i <= 4; i++) {
        const h = load<u8>(p + i) | 32;
        if (!((h >= 48 && h <= 57) || (h >= 97 && h <= 102))) return false;
      }
      p += 4;
    } else if (e != 34 && e != 92 && e != 47 && e != 98 && e != 102 && e != 110 && e != 114 && e != 116) {
      return false;
    }
  }
  return true;
}

/**
 * Whether Number() reads the number token [from, to) (digits, '.', 'e', 'E', '+', '-', starting
 * with a digit or '-') as a number rather than NaN: an optional minus, digits with an optional
 * fraction (or a fraction alone), and an optional exponent with at least one digit.
 */
function validNumber(from: usize, to: usize): bool {
  let p = from;
  if (load<u8>(p) == 45) p++;
  let digits = 0;
  while (p < to && isDigit(load<u8>(p))) {
    p++;
    digits++;
  }
  if (p < to && load<u8>(p) == 46) {
    p++;
    while (p < to && isDigit(load<u8>(p))) {
      p++;
      digits++;
    }
  }
  if (digits == 0) return false;
  if (p < to && (load<u8>(p) | 32) == 101) {
    p++;
    if (p < to && (load<u8>(p) == 43 || load<u8>(p) == 45)) p++;
    let exponent = 0;
    while (p < to && isDigit(load<u8>(p))) {
      p++;
      exponent++;
    }
    if (exponent == 0) return false;
  }
  return p == to;
}

// @ts-ignore: decorator
@inline function isDigit(c: u8): bool {
  return c >= 48 && c <= 57;
}

/** The number written by the digits [from, to) (at most 9 of them). */
function digitsValue(from: usize, to: usize): i32 {
  let n = 0;
  for (let p = from; p < to; p++) n = n * 10 + <i32>load<u8>(p) - 48;
  return n;
}

function digitsUntil(from: usize, to: usize): usize {
  let p = from;
  while (p < to) {
    if (!isDigit(load<u8>(p))) return p;
    p++;
  }
  return p;
}

/** Varint bytes for a decimal number of this many digits (as in proto-size.ts). */
function varintBytesForDigits(digits: i32): i32 {
  return <i32>Math.min(10, Math.max(1, Math.ceil((<f64>digits * 3.33) / 7)));
}

/** Bytes the base64 text [from, to) decodes to (as in omitted-string.ts; Java writes '=' as \u003d). */
function base64Bytes(from: usize, to: usize): i32 {
  let length = <i32>(to - from);
  let p = to;
  let padding = 0;
  while (padding < 2 && p > from) {
    if (load<u8>(p - 1) == 61) {
      p -= 1;
    } else if (p - 6 >= from && load<u8>(p - 6) == 92 && load<u8>(p - 5) == 117 && load<u8>(p - 4) == 48 && load<u8>(p - 3) == 48 && load<u8>(p - 2) == 51 && (load<u8>(p - 1) | 32) == 100) {
      p -= 6;
      length -= 5;
    } else {
      break;
    }
    padding++;
  }
  return max(0, (length * 3) / 4 - padding);
}

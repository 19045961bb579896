/**
 * A slice's lines as a script, for printing in two passes (engine/value-lines.ts): the first
 * pass runs each record through converters and transforms in JavaScript and records what its line
 * holds: members to print from the frame's bytes (their scanned cells), and text JavaScript
 * printed itself into a scratch buffer. The second pass (render) prints the whole slice in one
 * native call (native/src/json_print.cc), which copies at memcpy speed what print.ts would write
 * byte by byte. A record holding a value the native pass leaves to JavaScript (escaped strings,
 * numbers JavaScript reprints) is printed here, by the same print.ts, and the native pass resumes
 * after it; so the lines are print.ts's in every case.
 */
import { isNativeAvailable, nativeAddon } from '../../kafka/native.js';
import { comma, NOT_PRINTED, printBytes, printValue } from './print.js';
import { type Kind, KIND, NAME_END, NAME_START, VALUE_END, VALUE_START } from './scan.js';

/** Op codes (json_print.cc). */
const RECORD_START = 1;
const MEMBER = 2;
const TEXT = 3;
const RECORD_END = 4;
const LINE = 5;

type PrintLines = (payload: Uint8Array, cells: Int32Array, ops: Int32Array, from: number, to: number, scratch: Uint8Array, out: Uint8Array, pos: number, result: Int32Array) => number;

export class LineScript {
  private ops = new Int32Array(64 * 1024);
  /** Ops written. */
  length = 0;
  private readonly result = new Int32Array(2);
  private readonly native: PrintLines | null = isNativeAvailable() ? nativeAddon().printLines : null;

  /** True when the second pass can run natively (the addon loaded). */
  get available(): boolean {
    return this.native !== null;
  }

  clear(): void {
    this.length = 0;
  }

  recordStart(): void {
    this.push1(RECORD_START);
  }

  /** A member printed from the frame: its cells start at cells[c]. */
  member(c: number): void {
    this.room(2);
    this.ops[this.length++] = MEMBER;
    this.ops[this.length++] = c;
  }

  /** An item ("name=value") JavaScript printed into the scratch at [start, end). */
  text(start: number, end: number): void {
    this.push3(TEXT, start, end);
  }

  recordEnd(): void {
    this.push1(RECORD_END);
  }

  /** A whole line JavaScript printed into the scratch at [start, end), without its '\n'. */
  line(start: number, end: number): void {
    this.push3(LINE, start, end);
  }

  /**
   * Prints the script into out at pos (out must hold what it prints: grow() says when not) and
   * returns the end. `payload` and `cells` are the frame's scan (frame-scan.ts), `scratch` holds
   * the text ops' bytes.
   */
  render(payload: Uint8Array, cells: Int32Array, scratch: Uint8Array, out: { buffer: Uint8Array }, pos: number): number {
    const native = this.native;
    if (native === null) throw new Error('LineScript.render needs the native addon');
    let op = 0;
    for (;;) {
      const r = native(payload, cells, this.ops, op, this.length, scratch, out.buffer, pos, this.result);
      if (r === 0) return this.result[1]!;
      op = this.result[0]!;
      pos = this.result[1]!;
      if (r === -2) {
        const grown = Buffer.allocUnsafe(Math.max(2 * out.buffer.length, pos + 1024));
        grown.set(out.buffer.subarray(0, pos));
        out.buffer = grown;
        continue;
      }
      // -3: this record in JavaScript, then the native pass again from the next one.
      let end: number;
      while ((end = this.renderRecordInJs(payload, cells, scratch, out.buffer, pos, op)) === NOT_PRINTED) {
        const grown = Buffer.allocUnsafe(2 * out.buffer.length);
        grown.set(out.buffer.subarray(0, pos));
        out.buffer = grown;
      }
      pos = end;
      op = this.recordEndOp(op);
      if (op >= this.length) return pos;
    }
  }

  /** The record starting at ops[op] as print.ts writes it; NOT_PRINTED when out has no room. */
  private renderRecordInJs(payload: Uint8Array, cells: Int32Array, scratch: Uint8Array, out: Uint8Array, pos: number, op: number): number {
    const ops = this.ops;
    let first = true;
    for (let k = op; k < this.length;) {
      switch (ops[k]) {
        case RECORD_START:
          if (pos >= out.length) return NOT_PRINTED;
          out[pos++] = 0x7b;
          k += 1;
          break;
        case MEMBER: {
          const c = ops[k + 1]!;
          if (!first) pos = comma(out, pos);
          first = false;
          pos = printBytes(payload, cells[c + NAME_START]!, cells[c + NAME_END]!, out, pos);
          if (pos === NOT_PRINTED || pos >= out.length) return NOT_PRINTED;
          out[pos++] = 0x3d;
          pos = printValue(payload, cells[c + VALUE_START]!, cells[c + VALUE_END]!, cells[c + KIND] as Kind, out, pos);
          if (pos === NOT_PRINTED) return NOT_PRINTED;
          k += 2;
          break;
        }
        case TEXT:
          if (!first) pos = comma(out, pos);
          first = false;
          pos = printBytes(scratch, ops[k + 1]!, ops[k + 2]!, out, pos);
          if (pos === NOT_PRINTED) return NOT_PRINTED;
          k += 3;
          break;
        case RECORD_END:
          if (pos + 2 > out.length) return NOT_PRINTED;
          out[pos++] = 0x7d;
          out[pos++] = 0x0a;
          return pos;
        case LINE:
          pos = printBytes(scratch, ops[k + 1]!, ops[k + 2]!, out, pos);
          if (pos === NOT_PRINTED || pos >= out.length) return NOT_PRINTED;
          out[pos++] = 0x0a;
          return pos;
        default:
          throw new Error(`bad line-script op ${ops[k]} at ${k}`);
      }
    }
    throw new Error('line script ends inside a record');
  }

  /** The op after the record starting at ops[op]. */
  private recordEndOp(op: number): number {
    const ops = this.ops;
    for (let k = op; k < this.length;) {
      switch (ops[k]) {
        case RECORD_END:
          return k + 1;
        case LINE:
          return k + 3;
        case MEMBER:
          k += 2;
          break;
        case TEXT:
          k += 3;
          break;
        default:
          k += 1;
      }
    }
    return this.length;
  }

  private push1(a: number): void {
    this.room(1);
    this.ops[this.length++] = a;
  }

  private push3(a: number, b: number, c: number): void {
    this.room(3);
    const ops = this.ops;
    ops[this.length++] = a;
    ops[this.length++] = b;
    ops[this.length++] = c;
  }

  private room(n: number): void {
    if (this.length + n <= this.ops.length) return;
    const grown = new Int32Array(this.ops.length * 2);
    grown.set(this.ops);
    this.ops = grown;
  }
}


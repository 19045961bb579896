// printLines(payload, cells, ops, from, to, scratch, out, pos, result): the printer's second pass
// (src/engine/value-lines.ts, native mode). The first pass, in JavaScript, runs each record
// of a slice through converters and transforms and leaves a script of ops: members to print
// from the frame's bytes (their scanned cells), and text it printed itself into `scratch`. This
// pass writes the lines: what src/converters/json-text/print.ts would write, at memcpy speed.
//
// Ops (int32): RECORD_START; MEMBER c (cells[c..c+5] of a member, positions in `payload`);
// TEXT start end (an item "name=value" already printed, scratch[start, end)); RECORD_END;
// LINE start end (a whole line printed by JavaScript, without its '\n').
//
// Values print here only where the Java text is the bytes themselves, modulo quotes, separators
// and whitespace: strings without escapes, integers print.ts copies (isPlainInteger), decimals
// JavaScript prints as they are (isShortestDecimal), true/false/null, and arrays and objects of
// those. A record holding anything else is left to JavaScript: the call returns -3 with
// result = [op index of the record's start, output position there]. -2 is the same when `out`
// is full. 0 when every op is printed, result[1] the end.
#include "addon.h"
#include "common.h"

#include <cstdint>
#include <cstring>

namespace sluice {

namespace {

enum Op : int32_t { RECORD_START = 1, MEMBER = 2, TEXT = 3, RECORD_END = 4, LINE = 5 };
// scan.ts Kind
enum Kind : int32_t { STRING = 1, STRING_ESCAPED = 2, INT = 3, FLOAT = 4, TRUE_ = 5, FALSE_ = 6, NULL_ = 7, ARRAY = 8, OBJECT = 9 };

struct Unprintable {};
struct NoRoom {};

struct Printer {
  const uint8_t* b;
  int32_t len;
  uint8_t* out;
  int32_t cap;
  int32_t pos;

  void put(uint8_t c) {
    if (pos >= cap) throw NoRoom{};
    out[pos++] = c;
  }

  void copy(const uint8_t* src, int32_t n) {
    if (n < 0) throw Unprintable{};
    if (pos + n > cap) throw NoRoom{};
    std::memcpy(out + pos, src, static_cast<size_t>(n));
    pos += n;
  }

  static bool isWs(uint8_t c) { return c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09; }

  int32_t skipWs(int32_t i) const {
    while (i < len && isWs(b[i])) i++;
    return i;
  }

  // print.ts isPlainInteger
  bool isPlainInteger(int32_t start, int32_t end) const {
    int32_t digits = b[start] == 0x2d ? start + 1 : start;
    return end - digits <= 18 && (b[digits] != 0x30 || (end - digits == 1 && digits == start));
  }

  // print.ts isShortestDecimal
  bool isShortestDecimal(int32_t start, int32_t end) const {
    int32_t i = b[start] == 0x2d ? start + 1 : start;
    int32_t intStart = i;
    while (i < end && b[i] != 0x2e) {
      if (b[i] > 0x39) return false;
      i++;
    }
    if (i >= end) return false;
    int32_t intDigits = i - intStart;
    if (b[end - 1] == 0x30 || (b[intStart] == 0x30 && intDigits > 1)) return false;
    for (int32_t k = i + 1; k < end; k++) if (b[k] > 0x39) return false;
    int32_t significant = intDigits + (end - i - 1);
    if (intDigits == 1 && b[intStart] == 0x30) {
      int32_t zeros = 0;
      while (i + 1 + zeros < end && b[i + 1 + zeros] == 0x30) zeros++;
      if (zeros > 5) return false;
      significant = end - i - 1 - zeros;
    }
    return significant <= 15;
  }

  // The value at i (valid JSON, as the scan found it): printed, and where it ends.
  int32_t value(int32_t i) {
    uint8_t c = b[i];
    if (c == 0x22) {
      int32_t k = i + 1;
      while (k < len && b[k] != 0x22) {
        if (b[k] == 0x5c) throw Unprintable{};
        k++;
      }
      copy(b + i + 1, k - i - 1);
      return k + 1;
    }
    if (c == 0x5b) return array(i);
    if (c == 0x7b) return object(i);
    if (c == 0x74 || c == 0x6e) {
      copy(b + i, 4);
      return i + 4;
    }
    if (c == 0x66) {
      copy(b + i, 5);
      return i + 5;
    }
    int32_t k = i;
    bool decimal = false;
    while (k < len) {
      uint8_t d = b[k];
      if (d == 0x2e || d == 0x65 || d == 0x45) decimal = true;
      else if (!(d == 0x2d || d == 0x2b || (d >= 0x30 && d <= 0x39))) break;
      k++;
    }
    if (decimal ? !isShortestDecimal(i, k) : !isPlainInteger(i, k)) throw Unprintable{};
    copy(b + i, k - i);
    return k;
  }

  int32_t array(int32_t i) {
    put(0x5b);
    i = skipWs(i + 1);
    bool first = true;
    while (b[i] != 0x5d) {
      if (!first) {
        i = skipWs(i + 1);  // past the comma
        put(0x2c);
        put(0x20);
      }
      first = false;
      i = skipWs(value(i));
    }
    put(0x5d);
    return i + 1;
  }

  int32_t object(int32_t i) {
    put(0x7b);
    i = skipWs(i + 1);
    bool first = true;
    while (b[i] != 0x7d) {
      if (!first) {
        i = skipWs(i + 1);
        put(0x2c);
        put(0x20);
      }
      first = false;
      int32_t k = i + 1;
      while (b[k] != 0x22) k++;  // names have no escapes (the scan refuses them)
      copy(b + i + 1, k - i - 1);
      put(0x3d);
      i = skipWs(skipWs(k + 1) + 1);  // past the colon
      i = skipWs(value(i));
    }
    put(0x7d);
    return i + 1;
  }

  // A root member from its cells: name, '=', value (print.ts printValue by kind).
  void member(const int32_t* c) {
    if (c[0] < 0 || c[1] > len || c[3] < 0 || c[4] > len || c[0] > c[1] || c[3] >= c[4]) throw Unprintable{};
    copy(b + c[0], c[1] - c[0]);
    put(0x3d);
    switch (c[5]) {
      case STRING: copy(b + c[3] + 1, c[4] - c[3] - 2); break;
      case INT:
        if (!isPlainInteger(c[3], c[4])) throw Unprintable{};
        copy(b + c[3], c[4] - c[3]);
        break;
      case FLOAT:
        if (!isShortestDecimal(c[3], c[4])) throw Unprintable{};
        copy(b + c[3], c[4] - c[3]);
        break;
      case TRUE_: case FALSE_: case NULL_: copy(b + c[3], c[4] - c[3]); break;
      case ARRAY: array(c[3]); break;
      case OBJECT: object(c[3]); break;
      default: throw Unprintable{};  // STRING_ESCAPED: JavaScript unescapes
    }
  }
};

napi_value PrintLines(napi_env env, napi_callback_info info) {
  Args a(env, info, 9);
  TypedBytes payload = GetTypedArray(env, a[0], "payload");
  TypedBytes cells = GetTypedArray(env, a[1], "cells");
  TypedBytes ops = GetTypedArray(env, a[2], "ops");
  int32_t from = GetInt32(env, a[3], "from");
  int32_t to = GetInt32(env, a[4], "to");
  TypedBytes scratch = GetTypedArray(env, a[5], "scratch");
  TypedBytes out = GetTypedArray(env, a[6], "out");
  int32_t pos = GetInt32(env, a[7], "pos");
  TypedBytes result = GetTypedArray(env, a[8], "result");
  if (cells.type != napi_int32_array || ops.type != napi_int32_array || result.type != napi_int32_array || result.length < 8) {
    throw JsTypeError("cells, ops and result must be Int32Arrays (result of 2)");
  }
  const int32_t* op = reinterpret_cast<const int32_t*>(ops.data);
  const int32_t* cell = reinterpret_cast<const int32_t*>(cells.data);
  int32_t cellCount = static_cast<int32_t>(cells.length / 4);
  int32_t* res = reinterpret_cast<int32_t*>(result.data);
  if (from < 0 || to < from || static_cast<size_t>(to) > ops.length / 4 || pos < 0 || static_cast<size_t>(pos) > out.length) {
    throw JsError("printLines: ops or position out of range", "ERR_OUT_OF_RANGE");
  }
  Printer p{payload.data, static_cast<int32_t>(payload.length), out.data, static_cast<int32_t>(out.length), pos};
  int32_t k = from;
  int32_t recordOp = from;
  int32_t recordPos = pos;
  int32_t scratchLen = static_cast<int32_t>(scratch.length);
  bool first = true;
  try {
    while (k < to) {
      switch (op[k]) {
        case RECORD_START:
          recordOp = k;
          recordPos = p.pos;
          p.put(0x7b);
          first = true;
          k += 1;
          break;
        case MEMBER: {
          int32_t c = op[k + 1];
          if (c < 0 || c + 6 > cellCount) throw Unprintable{};
          if (!first) { p.put(0x2c); p.put(0x20); }
          first = false;
          p.member(cell + c);
          k += 2;
          break;
        }
        case TEXT: {
          int32_t s = op[k + 1], e = op[k + 2];
          if (s < 0 || e < s || e > scratchLen) throw Unprintable{};
          if (!first) { p.put(0x2c); p.put(0x20); }
          first = false;
          p.copy(scratch.data + s, e - s);
          k += 3;
          break;
        }
        case RECORD_END:
          p.put(0x7d);
          p.put(0x0a);
          k += 1;
          break;
        case LINE: {
          int32_t s = op[k + 1], e = op[k + 2];
          if (s < 0 || e < s || e > scratchLen) throw JsError("printLines: a LINE outside the scratch", "ERR_OUT_OF_RANGE");
          recordOp = k;
          recordPos = p.pos;
          p.copy(scratch.data + s, e - s);
          p.put(0x0a);
          k += 3;
          break;
        }
        default:
          throw JsError("printLines: bad op", "ERR_INVALID_ARG_VALUE");
      }
    }
  } catch (const Unprintable&) {
    res[0] = recordOp;
    res[1] = recordPos;
    return MakeNumber(env, -3);
  } catch (const NoRoom&) {
    res[0] = recordOp;
    res[1] = recordPos;
    return MakeNumber(env, -2);
  }
  res[0] = to;
  res[1] = p.pos;
  return MakeNumber(env, 0);
}

}  // namespace

void InitJsonPrint(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"printLines", nullptr, Guard<PrintLines>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  Check(env, napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
}

}  // namespace sluice

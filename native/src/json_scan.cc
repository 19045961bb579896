// scanJsonObject(bytes, cells): the validating scan of a schemaless JSON object that
// src/converters/json-text/scan.ts does (scanRootObject), in C++: the same acceptance byte for
// byte, and the same member table. The JavaScript scan stays the reference; this one is what
// runs when the addon is loaded (scan.ts picks it for longer inputs), and the json-text tests run
// every fuzzed document through both.
//
// Returns 2 * members + (1 if every name is printable-ASCII-free of escapes and at most 32 bytes,
// i.e. MemberTable.shortAsciiNames), -1 when the scan does not take the input (NOT_SCANNED), -2
// when `cells` has no room for every member (the caller grows it and asks again).
//
// Cells per member, int32: name start, name end, 31-hash of the name bytes, value start, value
// end, kind (scan.ts Kind).
#include "addon.h"
#include "common.h"

#include <cstdint>
#include <vector>

namespace sluice {

namespace {

constexpr int32_t kNotScanned = -1;
constexpr int32_t kNoRoom = -2;
constexpr int kMaxScanDepth = 64;      // scan.ts MAX_SCAN_DEPTH
constexpr int kMaxNumberDigits = 100;  // scan.ts MAX_NUMBER_DIGITS
constexpr int kMaxCachedName = 32;     // names.ts MAX_CACHED_NAME
constexpr int kCells = 6;

enum Kind : int32_t { STRING = 1, STRING_ESCAPED = 2, INT = 3, FLOAT = 4, TRUE_ = 5, FALSE_ = 6, NULL_ = 7, ARRAY = 8, OBJECT = 9 };

struct Scan {
  const uint8_t* b;
  int32_t len;
  int32_t* cells;       // the root's member table
  int32_t cellCap;      // in members
  int32_t count = 0;
  bool shortAscii = true;
  bool noRoom = false;
  int32_t kind = NULL_;  // scan.ts scannedKind
  std::vector<int32_t> names;  // (hash, start, end) of the names of the objects being scanned

  // b[i], or -1 past the end (JavaScript's undefined compares unequal to every byte).
  int at(int32_t i) const { return i < len ? b[i] : -1; }

  int32_t skipWhitespace(int32_t i) const {
    for (; i < len; i++) {
      uint8_t c = b[i];
      if (c > 0x20) return i;
      if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) return kNotScanned;
    }
    return i;
  }

  static bool endsToken(int c) {
    return c == -1 || c == 0x2c || c == 0x7d || c == 0x5d || c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09;
  }

  static int hexValue(int c) {
    if (c >= 0x30 && c <= 0x39) return c - 0x30;
    if (c >= 0x41 && c <= 0x46) return c - 0x37;
    if (c >= 0x61 && c <= 0x66) return c - 0x57;
    return -1;
  }

  static bool isContinuation(int c, int lo, int hi) { return c >= lo && c <= hi; }

  int32_t utf8SequenceEnd(int32_t i) const {
    int c = b[i];
    if (c < 0xc2) return kNotScanned;
    if (c < 0xe0) return isContinuation(at(i + 1), 0x80, 0xbf) ? i + 2 : kNotScanned;
    if (c < 0xf0) {
      int lo = c == 0xe0 ? 0xa0 : 0x80;
      int hi = c == 0xed ? 0x9f : 0xbf;
      return isContinuation(at(i + 1), lo, hi) && isContinuation(at(i + 2), 0x80, 0xbf) ? i + 3 : kNotScanned;
    }
    if (c < 0xf5) {
      int lo = c == 0xf0 ? 0x90 : 0x80;
      int hi = c == 0xf4 ? 0x8f : 0xbf;
      return isContinuation(at(i + 1), lo, hi) && isContinuation(at(i + 2), 0x80, 0xbf) && isContinuation(at(i + 3), 0x80, 0xbf)
                 ? i + 4
                 : kNotScanned;
    }
    return kNotScanned;
  }

  int32_t scanValue(int32_t i, int depth) {
    int c = at(i);
    switch (c) {
      case 0x22: return scanString(i);
      case 0x7b: return depth >= kMaxScanDepth ? kNotScanned : scanObject(i, depth + 1, false);
      case 0x5b: return depth >= kMaxScanDepth ? kNotScanned : scanArray(i, depth + 1);
      case 0x74: kind = TRUE_; return literal(i, 0x72, 0x75, 0x65, -1);
      case 0x66: kind = FALSE_; return literal(i, 0x61, 0x6c, 0x73, 0x65);
      case 0x6e: kind = NULL_; return literal(i, 0x75, 0x6c, 0x6c, -1);
      default:
        if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return scanNumber(i);
        return kNotScanned;
    }
  }

  int32_t literal(int32_t i, int c1, int c2, int c3, int c4) const {
    if (at(i + 1) != c1 || at(i + 2) != c2 || at(i + 3) != c3) return kNotScanned;
    int32_t end = i + 4;
    if (c4 >= 0) {
      if (at(end) != c4) return kNotScanned;
      end++;
    }
    return endsToken(at(end)) ? end : kNotScanned;
  }

  static bool isDigit(int c) { return c >= 0x30 && c <= 0x39; }

  int32_t scanNumber(int32_t i) {
    int32_t start = i;
    if (at(i) == 0x2d) i++;
    int32_t intStart = i;
    while (i < len && isDigit(b[i])) i++;
    if (i == intStart) return kNotScanned;
    int32_t k = INT;
    if (at(i) == 0x2e) {
      k = FLOAT;
      int32_t f = ++i;
      while (i < len && isDigit(b[i])) i++;
      if (i == f) return kNotScanned;
    }
    if (at(i) == 0x65 || at(i) == 0x45) {
      k = FLOAT;
      i++;
      if (at(i) == 0x2b || at(i) == 0x2d) i++;
      int32_t e = i;
      while (i < len && isDigit(b[i])) i++;
      if (i == e || i - e >= 10) return kNotScanned;
    }
    if (i - start > kMaxNumberDigits || !endsToken(at(i))) return kNotScanned;
    kind = k;
    return i;
  }

  int32_t scanString(int32_t i) {
    int32_t k = STRING;
    i++;
    for (;;) {
      if (i >= len) return kNotScanned;
      uint8_t c = b[i];
      if (c == 0x22) {
        kind = k;
        return i + 1;
      }
      if (c < 0x20) return kNotScanned;
      if (c == 0x5c) {
        k = STRING_ESCAPED;
        int e = at(i + 1);
        if (e == 0x75) {
          for (int h = 2; h < 6; h++) if (hexValue(at(i + h)) < 0) return kNotScanned;
          i += 6;
        } else if (e == 0x22 || e == 0x5c || e == 0x2f || e == 0x62 || e == 0x66 || e == 0x6e || e == 0x72 || e == 0x74) {
          i += 2;
        } else {
          return kNotScanned;
        }
        continue;
      }
      if (c >= 0x80) {
        i = utf8SequenceEnd(i);
        if (i == kNotScanned) return kNotScanned;
        continue;
      }
      i++;
    }
  }

  // After an element: past ',' and whitespace (returned), or past `closer` (*closed set).
  int32_t afterElement(int32_t i, int closer, bool* closed) const {
    i = skipWhitespace(i);
    if (i == kNotScanned) return kNotScanned;
    int c = at(i);
    if (c == 0x2c) return skipWhitespace(i + 1);
    if (c == closer) {
      *closed = true;
      return i + 1;
    }
    return kNotScanned;
  }

  int32_t scanArray(int32_t i, int depth) {
    i = skipWhitespace(i + 1);
    if (i == kNotScanned) return kNotScanned;
    if (at(i) == 0x5d) {
      kind = ARRAY;
      return i + 1;
    }
    for (;;) {
      i = scanValue(i, depth);
      if (i == kNotScanned) return kNotScanned;
      bool closed = false;
      i = afterElement(i, 0x5d, &closed);
      if (i == kNotScanned) return kNotScanned;
      if (closed) {
        kind = ARRAY;
        return i;
      }
    }
  }

  bool isRepeatedName(size_t base, int32_t start, int32_t end, int32_t hash) const {
    for (size_t s = base; s < names.size(); s += 3) {
      if (names[s] != hash) continue;
      int32_t os = names[s + 1];
      if (names[s + 2] - os != end - start) continue;
      int32_t k = 0;
      while (start + k < end && b[os + k] == b[start + k]) k++;
      if (start + k == end) return true;
    }
    return false;
  }

  int32_t scanObject(int32_t i, int depth, bool root) {
    size_t base = names.size();
    int32_t r = scanMembers(i, depth, root, base);
    names.resize(base);
    return r;
  }

  int32_t scanMembers(int32_t i, int depth, bool root, size_t base) {
    i = skipWhitespace(i + 1);
    if (i == kNotScanned) return kNotScanned;
    if (at(i) == 0x7d) {
      kind = OBJECT;
      return i + 1;
    }
    uint32_t seen = 0;
    for (;;) {
      if (at(i) != 0x22) return kNotScanned;
      int32_t ns = i + 1;
      int32_t h = 0;
      bool ascii = true;
      int32_t k = ns;
      for (;;) {
        if (k >= len) return kNotScanned;
        uint8_t c = b[k];
        if (c == 0x22) break;
        if (c == 0x5c || c < 0x20) return kNotScanned;
        if (c >= 0x80) {
          int32_t next = utf8SequenceEnd(k);
          if (next == kNotScanned) return kNotScanned;
          for (; k < next; k++) h = static_cast<int32_t>(static_cast<uint32_t>(h) * 31u + b[k]);
          ascii = false;
          continue;
        }
        h = static_cast<int32_t>(static_cast<uint32_t>(h) * 31u + c);
        k++;
      }
      int32_t ne = k;
      uint32_t bit = 1u << (static_cast<uint32_t>(h) & 31u);
      if ((seen & bit) != 0 && isRepeatedName(base, ns, ne, h)) return kNotScanned;
      seen |= bit;
      names.push_back(h);
      names.push_back(ns);
      names.push_back(ne);
      i = skipWhitespace(ne + 1);
      if (i == kNotScanned || at(i) != 0x3a) return kNotScanned;
      i = skipWhitespace(i + 1);
      if (i == kNotScanned) return kNotScanned;
      int32_t vs = i;
      i = scanValue(i, depth);
      if (i == kNotScanned) return kNotScanned;
      if (root) {
        if (count >= cellCap) {
          noRoom = true;
          return kNotScanned;
        }
        int32_t* c = cells + count * kCells;
        c[0] = ns;
        c[1] = ne;
        c[2] = h;
        c[3] = vs;
        c[4] = i;
        c[5] = kind;
        count++;
        if (!ascii || ne - ns > kMaxCachedName) shortAscii = false;
      }
      bool closed = false;
      i = afterElement(i, 0x7d, &closed);
      if (i == kNotScanned) return kNotScanned;
      if (closed) {
        kind = OBJECT;
        return i;
      }
    }
  }
};

napi_value ScanJsonObject(napi_env env, napi_callback_info info) {
  Args a(env, info, 2);
  TypedBytes bytes = GetTypedArray(env, a[0], "bytes");
  TypedBytes cells = GetTypedArray(env, a[1], "cells");
  if (cells.type != napi_int32_array) throw JsTypeError("cells must be an Int32Array");
  const uint8_t* b = bytes.data;
  int32_t len = static_cast<int32_t>(bytes.length);
  // scan.ts scanRootObject: '{' first; a zero second byte is how Jackson spots UTF-16.
  if (len < 2 || b[0] != 0x7b || b[1] == 0) return MakeNumber(env, kNotScanned);
  Scan s{b, len, reinterpret_cast<int32_t*>(cells.data), static_cast<int32_t>(cells.length / (4 * kCells)), 0, true, false, NULL_, {}};
  int32_t end = s.scanObject(0, 1, true);
  if (s.noRoom) return MakeNumber(env, kNoRoom);
  if (end == kNotScanned) return MakeNumber(env, kNotScanned);
  return MakeNumber(env, 2.0 * s.count + (s.shortAscii ? 1 : 0));
}

// scanJsonObjects(payload, offsets, lengths, from, to, cells, index): scanJsonObject for the
// values of records [from, to) of a batch frame, in one call (a call costs about as much as
// scanning a 200 B object). Value i is payload[offsets[i], offsets[i] + lengths[i]) (lengths[i]
// < 0: a null value). For record i, index[2k] (k = i - from) is the first member's index in
// `cells` (-1: not scanned) and index[2k + 1] what scanJsonObject returns for it. Returns the
// members written, or -2 when `cells` or `index` has no room (the caller grows them and asks again).
// Unlike scanJsonObject's, these cells' positions are relative to `payload`, not to the value.
napi_value ScanJsonObjects(napi_env env, napi_callback_info info) {
  Args a(env, info, 7);
  TypedBytes payload = GetTypedArray(env, a[0], "payload");
  TypedBytes offsets = GetTypedArray(env, a[1], "offsets");
  TypedBytes lengths = GetTypedArray(env, a[2], "lengths");
  int32_t from = GetInt32(env, a[3], "from");
  int32_t to = GetInt32(env, a[4], "to");
  TypedBytes cells = GetTypedArray(env, a[5], "cells");
  TypedBytes index = GetTypedArray(env, a[6], "index");
  if (offsets.type != napi_int32_array || lengths.type != napi_int32_array || cells.type != napi_int32_array || index.type != napi_int32_array) {
    throw JsTypeError("offsets, lengths, cells and index must be Int32Arrays");
  }
  size_t records = offsets.length / 4;
  if (from < 0 || to < from || static_cast<size_t>(to) > records || lengths.length / 4 < records) {
    throw JsError("scanJsonObjects: records outside the columns", "ERR_OUT_OF_RANGE");
  }
  if (index.length / 4 < 2 * static_cast<size_t>(to - from)) return MakeNumber(env, kNoRoom);
  const int32_t* off = reinterpret_cast<const int32_t*>(offsets.data);
  const int32_t* lens = reinterpret_cast<const int32_t*>(lengths.data);
  int32_t* idx = reinterpret_cast<int32_t*>(index.data);
  int32_t* cellData = reinterpret_cast<int32_t*>(cells.data);
  int32_t capacity = static_cast<int32_t>(cells.length / (4 * kCells));
  int32_t used = 0;
  Scan s{nullptr, 0, nullptr, 0, 0, true, false, NULL_, {}};
  for (int32_t i = from; i < to; i++) {
    int32_t k = 2 * (i - from);
    idx[k] = -1;
    idx[k + 1] = kNotScanned;
    int32_t len = lens[i];
    if (len < 2) continue;
    if (off[i] < 0 || static_cast<size_t>(off[i]) + static_cast<size_t>(len) > payload.length) {
      throw JsError("scanJsonObjects: a value lies outside the payload", "ERR_OUT_OF_RANGE");
    }
    const uint8_t* b = payload.data + off[i];
    if (b[0] != 0x7b || b[1] == 0) continue;
    s.b = b;
    s.len = len;
    s.cells = cellData + used * kCells;
    s.cellCap = capacity - used;
    s.count = 0;
    s.shortAscii = true;
    s.noRoom = false;
    s.names.clear();
    int32_t end = s.scanObject(0, 1, true);
    if (s.noRoom) return MakeNumber(env, kNoRoom);
    if (end == kNotScanned) continue;
    // Positions relative to the payload, so that one view of it serves every record.
    for (int32_t m = 0; m < s.count; m++) {
      int32_t* c = s.cells + m * kCells;
      c[0] += off[i];
      c[1] += off[i];
      c[3] += off[i];
      c[4] += off[i];
    }
    idx[k] = used;
    idx[k + 1] = 2 * s.count + (s.shortAscii ? 1 : 0);
    used += s.count;
  }
  return MakeNumber(env, used);
}

}  // namespace

void InitJsonScan(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"scanJsonObject", nullptr, Guard<ScanJsonObject>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"scanJsonObjects", nullptr, Guard<ScanJsonObjects>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  Check(env, napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
}

}  // namespace sluice

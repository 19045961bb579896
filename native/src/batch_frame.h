// The batch frame of src/data/batch.ts (that file is the specification): header offsets, section
// sizes, and the little-endian helpers the consumer's writer and the producer's reader share.
#pragma once

#include <cstdint>
#include <cstring>

#include "common.h"

namespace sluice {
namespace batch {

constexpr int32_t kMagic = 0x46424c53;  // "SLBF"
constexpr int32_t kVersion = 1;
constexpr uint32_t kHeaderBytes = 96;

// byte offsets of the header fields
constexpr uint32_t kMagicAt = 0, kVersionAt = 4, kFrameLength = 8, kCount = 12, kFlags = 16, kTopicCount = 20,
                   kTopicTable = 24, kPayload = 28, kPayloadLength = 32, kOffsetCol = 36, kTimestampCol = 40,
                   kPartitionCol = 44, kTopicIdCol = 48, kKeyOffsetCol = 52, kKeyLengthCol = 56,
                   kValueOffsetCol = 60, kValueLengthCol = 64, kHeadersOffsetCol = 68, kHeadersLengthCol = 72,
                   kTimestampTypeCol = 76;

/** Bytes of the columns of n records: 2 float64, 8 int32 and 1 uint8 column. */
inline constexpr uint64_t ColumnBytes(uint64_t n) { return 16 * n + 8 * ((4 * n + 7) & ~7ull) + ((n + 7) & ~7ull); }

/** Bytes of a topic table: int32 nameStart[t + 1] and the names. */
inline constexpr uint64_t TopicTableBytes(uint64_t topics, uint64_t nameBytes) {
  return (4 * (topics + 1) + nameBytes + 7) & ~7ull;
}

/** Exact frame length: header | topic table | columns | payload (the canonical order). */
inline constexpr uint64_t FrameBytes(uint64_t n, uint64_t topics, uint64_t nameBytes, uint64_t payload) {
  return kHeaderBytes + TopicTableBytes(topics, nameBytes) + ColumnBytes(n) + ((payload + 7) & ~7ull);
}

inline void PutI32(uint8_t* p, int32_t v) { memcpy(p, &v, 4); }
inline int32_t GetI32(const uint8_t* p) {
  int32_t v;
  memcpy(&v, p, 4);
  return v;
}

}  // namespace batch
}  // namespace sluice

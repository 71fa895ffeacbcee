#pragma once
// OpenHashMap: the transport demultiplexers' table (TCP: four-tuple ->
// connection; UDP: port -> the sockets bound on it) and the layers' other
// per-connection tables. One flat array, open addressing with
// linear probing, so filing and forgetting a connection allocate nothing
// (std::unordered_map allocates a node per element and walks a chain per
// lookup) and a lookup reads one or two neighbouring buckets.
//
// - Kept at most half full, so a probe sequence is short (about 1.5 buckets
//   for a hit, 2.5 for a miss); the array doubles when that would be passed.
// - Erasing shifts the following elements of the run back (no tombstones),
//   so a table that sees millions of connections come and go stays as
//   fast as a fresh one.
// - The bucket is fmix64(hash(key) ^ seed): with a secret seed, a peer that
//   knows the hash function still cannot choose four-tuples that pile up in
//   one run (the full 64-bit hashes would have to collide).
// - The element last found or inserted is remembered: segments come in runs
//   for one connection, so most lookups are one comparison of keys.
//
// Pointers returned by find() and try_emplace() are valid until the next
// insert or erase.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "base/four_tuple.hpp"

namespace netstep {

template <class Key, class Value, class Hash = std::hash<Key>>
class OpenHashMap {
 public:
  explicit OpenHashMap(std::uint64_t seed = 0) : seed_{seed} {}

  [[nodiscard]] Value* find(const Key& key) {
    if (remembered_ != none && buckets_[remembered_]->first == key) return &buckets_[remembered_]->second;
    const std::size_t index = index_of(key);
    if (index == none) return nullptr;
    remembered_ = index;
    return &buckets_[index]->second;
  }
  [[nodiscard]] const Value* find(const Key& key) const {
    if (remembered_ != none && buckets_[remembered_]->first == key) return &buckets_[remembered_]->second;
    const std::size_t index = index_of(key);
    return index == none ? nullptr : &buckets_[index]->second;
  }
  [[nodiscard]] bool contains(const Key& key) const { return find(key) != nullptr; }

  // Inserts Value{args...} under `key` unless the key is present; returns
  // the value under the key and whether it was inserted.
  template <class... Args>
  std::pair<Value*, bool> try_emplace(const Key& key, Args&&... args) {
    if (Value* present = find(key)) return {present, false};
    if ((size_ + 1) * 2 > buckets_.size()) grow();
    std::size_t i = home(key);
    while (buckets_[i]) i = next(i);
    buckets_[i].emplace(std::piecewise_construct, std::forward_as_tuple(key),
                        std::forward_as_tuple(std::forward<Args>(args)...));
    ++size_;
    remembered_ = i;
    return {&buckets_[i]->second, true};
  }

  // Returns whether the key was there.
  bool erase(const Key& key) {
    std::size_t hole = index_of(key);
    if (hole == none) return false;
    remembered_ = none;  // elements may move
    buckets_[hole].reset();
    --size_;
    // Backward shift: every element of the run after the hole that could
    // live at the hole (its home is not between the hole and itself,
    // cyclically) moves into it, and its old place becomes the hole.
    for (std::size_t i = next(hole); buckets_[i]; i = next(i)) {
      const std::size_t h = home(buckets_[i]->first);
      const bool stays = hole < i ? (hole < h && h <= i) : (hole < h || h <= i);
      if (stays) continue;
      buckets_[hole] = std::move(buckets_[i]);
      buckets_[i].reset();
      hole = i;
    }
    return true;
  }

  void clear() {
    for (auto& bucket : buckets_) bucket.reset();
    size_ = 0;
    remembered_ = none;
  }

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] std::size_t bucket_count() const { return buckets_.size(); }

 private:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  static constexpr std::size_t initial_buckets = 16;

  [[nodiscard]] std::size_t home(const Key& key) const {
    const auto hash = static_cast<std::uint64_t>(Hash{}(key));
    return static_cast<std::size_t>(detail::fmix64(hash ^ seed_)) & (buckets_.size() - 1);
  }
  [[nodiscard]] std::size_t next(std::size_t i) const { return (i + 1) & (buckets_.size() - 1); }
  [[nodiscard]] std::size_t index_of(const Key& key) const {
    if (size_ == 0) return none;
    for (std::size_t i = home(key); buckets_[i]; i = next(i)) {
      if (buckets_[i]->first == key) return i;
    }
    return none;
  }
  void grow() {
    std::vector<std::optional<std::pair<Key, Value>>> old =
        std::exchange(buckets_, std::vector<std::optional<std::pair<Key, Value>>>(
                                    buckets_.empty() ? initial_buckets : buckets_.size() * 2));
    remembered_ = none;
    for (auto& bucket : old) {
      if (!bucket) continue;
      std::size_t i = home(bucket->first);
      while (buckets_[i]) i = next(i);
      buckets_[i] = std::move(bucket);
    }
  }

  std::vector<std::optional<std::pair<Key, Value>>> buckets_;  // empty or a power of two
  std::size_t size_ = 0;
  std::size_t remembered_ = none;
  std::uint64_t seed_;
};

}  // namespace netstep

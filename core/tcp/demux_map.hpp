#pragma once
// DemuxMap: the demultiplexer's table (four-tuple -> connection), an
// std::unordered_map that remembers the element it last found or inserted.
// Segments come in runs for one connection (a bulk transfer is
// thousands in a row), so most lookups are one comparison of four-tuples
// instead of a hash, a division by the bucket count and a chain walk.
//
// Every change goes through this class, so the remembered iterator is
// never stale: an insert remembers the new element (the next segment is
// most likely for the connection just created) unless it rehashed the table
// (which invalidates iterators: then nothing is remembered); erasing the
// remembered element forgets it (erasing another one leaves it valid, as
// std::unordered_map guarantees). const find() consults it but cannot
// update it.
#include <cstddef>
#include <functional>
#include <unordered_map>
#include <utility>

namespace netstep::tcp {

template <class Key, class Value, class Hash = std::hash<Key>>
class DemuxMap {
 public:
  using Map = std::unordered_map<Key, Value, Hash>;
  using iterator = typename Map::iterator;
  using const_iterator = typename Map::const_iterator;
  using value_type = typename Map::value_type;
  using size_type = typename Map::size_type;

  iterator find(const Key& key) {
    if (remembered_ && last_->first == key) return last_;
    const iterator it = map_.find(key);
    if (it != map_.end()) remember(it);
    return it;
  }
  const_iterator find(const Key& key) const {
    if (remembered_ && last_->first == key) return last_;
    return map_.find(key);
  }
  [[nodiscard]] bool contains(const Key& key) const { return find(key) != end(); }

  template <class... Args>
  std::pair<iterator, bool> emplace(Args&&... args) {
    const size_type buckets = map_.bucket_count();
    const auto result = map_.emplace(std::forward<Args>(args)...);
    after_insert(buckets, result.first);
    return result;
  }
  template <class... Args>
  std::pair<iterator, bool> try_emplace(const Key& key, Args&&... args) {
    const size_type buckets = map_.bucket_count();
    const auto result = map_.try_emplace(key, std::forward<Args>(args)...);
    after_insert(buckets, result.first);
    return result;
  }
  Value& operator[](const Key& key) { return try_emplace(key).first->second; }
  iterator erase(const_iterator it) {
    if (remembered_ && it == const_iterator{last_}) remembered_ = false;
    return map_.erase(it);
  }
  iterator erase(iterator it) { return erase(const_iterator{it}); }
  size_type erase(const Key& key) {
    const iterator it = map_.find(key);
    if (it == map_.end()) return 0;
    erase(it);
    return 1;
  }
  void clear() {
    remembered_ = false;
    map_.clear();
  }

  [[nodiscard]] iterator begin() { return map_.begin(); }
  [[nodiscard]] iterator end() { return map_.end(); }
  [[nodiscard]] const_iterator begin() const { return map_.begin(); }
  [[nodiscard]] const_iterator end() const { return map_.end(); }
  [[nodiscard]] size_type size() const { return map_.size(); }
  [[nodiscard]] bool empty() const { return map_.empty(); }
  [[nodiscard]] size_type bucket_count() const { return map_.bucket_count(); }

 private:
  void remember(iterator it) {
    last_ = it;
    remembered_ = true;
  }
  void after_insert(size_type buckets_before, iterator inserted) {
    if (map_.bucket_count() != buckets_before) {
      remembered_ = false;  // rehashed: every iterator is invalid
    } else {
      remember(inserted);
    }
  }

  Map map_;
  iterator last_{};
  bool remembered_ = false;
};

}  // namespace netstep::tcp

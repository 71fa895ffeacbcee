#pragma once
// ConnectionStorage: where Connection objects live. A host that opens and
// closes connections one after another (a web client, the connection-rate
// benchmark) would otherwise ask the C heap for a block of well over a
// kilobyte for every connection and give it back when it closes; glibc
// serves blocks that large from its general bins, not its fast per-thread
// cache. Here freed blocks of the one size are kept on a small per-thread
// list and handed out again.
//
// Bounded: at most `kept` blocks wait on a thread's list; beyond that a
// freed block goes back to the heap. The list itself is never destroyed (a
// thread that exits leaves its few kept blocks to the process), so a
// Connection destroyed during static destruction still finds it. Nothing
// here is visible to the protocol: addresses never decide behaviour.
#include <cstddef>
#include <new>

namespace netstep::tcp {

class ConnectionStorage {
 public:
  static constexpr std::size_t kept = 32;

  [[nodiscard]] static void* allocate(std::size_t size) {
    List& list = this_thread();
    if (list.count > 0 && list.size == size) return list.blocks[--list.count];
    return ::operator new(size);
  }

  static void release(void* block, std::size_t size) noexcept {
    List& list = this_thread();
    if (list.count == 0) list.size = size;
    if (list.size == size && list.count < kept) {
      list.blocks[list.count++] = block;
      return;
    }
    // The unsized form: the sized one is declared only where sized
    // deallocation is on (GCC by default in C++14 and later, clang before 19
    // only with -fsized-deallocation), and glibc's free() ignores the size.
    ::operator delete(block);
  }

 private:
  struct List {
    std::size_t size = 0;  // of every block on the list
    std::size_t count = 0;
    void* blocks[kept];
  };
  static List& this_thread() {
    thread_local List* list = new List;  // never destroyed (see above)
    return *list;
  }
};

}  // namespace netstep::tcp

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>

#include "sim/frame_pool.hpp"
#include "sim_harness.hpp"

// Counts heap allocations made while `counting` is on, to prove the data
// path allocates nothing once warm. Replacing global new is allowed by the
// standard; these forward to malloc and free. AddressSanitizer replaces them
// itself, so under it only the pool's growth is checked.
namespace {
std::atomic<bool> counting{false};
std::atomic<std::size_t> allocations{0};
// Out of line, so a debugger can break on it to find an allocation's caller.
[[gnu::noinline, maybe_unused]] void note_allocation() { allocations.fetch_add(1, std::memory_order_relaxed); }
}  // namespace

#if defined(__SANITIZE_ADDRESS__)
constexpr bool counting_allocations = false;
#else
constexpr bool counting_allocations = true;
void* operator new(std::size_t size) {
  if (counting.load(std::memory_order_relaxed)) note_allocation();
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc{};
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#endif

using namespace netstep;
using namespace netstep::sim;
using namespace netstep::sim::test;

TEST_CASE("sim: the pool reuses released buffers instead of growing", "[sim][pool]") {
  FramePool pool{64};
  const Frame f = numbered_frame(mac_b, mac_a, 1);
  const auto i = pool.acquire(bytes_of(f));
  const auto j = pool.acquire(bytes_of(f));
  CHECK(pool.growths() == 2);
  pool.release(i);
  const auto k = pool.acquire(bytes_of(f));
  CHECK(k == i);
  CHECK(pool.growths() == 2);
  CHECK(pool.in_use() == 2);
  CHECK(std::equal(pool.frame(j).begin(), pool.frame(j).end(), f.begin(), f.end()));
}

TEST_CASE("sim: once warm, frames cross links and a switch with no heap allocation", "[sim][pool][alloc]") {
  World w{3};
  w.bus.detach(w.log);  // a recording sink allocates by design; the wire must not
  SimNic& a = w.network.add_nic("h1", "eth0", mac_a);
  SimNic& b = w.network.add_nic("h2", "eth0", mac_b);
  Switch& sw = w.network.add_switch("sw0", 2);
  // Impairments that keep every burst the same shape (so warm-up reaches the
  // peak number of frames in flight) yet exercise the copy, corrupt and rule paths.
  // (Corruption only towards b: a corrupted source MAC would teach the switch
  // a new address, which is a legitimate allocation.)
  Impairments doubling;
  doubling.delay = 50us;
  doubling.duplicate = 1;
  Impairments noisy = doubling;
  noisy.corrupt = 0.3;
  Link& first = w.network.connect(a, sw.port(0), LinkConfig::symmetric(doubling));
  w.network.connect(sw.port(1), b, LinkConfig{"", noisy, doubling, 100'000'000});
  first.add_rule(Direction::AtoB, FrameRule{FrameMatch{.ethertype = 0x0800}, Drop{}, std::nullopt});
  struct Sink final : FrameReceiver {
    void receive_frame(Bytes) override { ++count; }
    std::size_t count = 0;
  } sink;
  b.attach(sink);

  const Frame frame = numbered_frame(mac_b, mac_a, 1, 1000);
  const Frame reply = numbered_frame(mac_a, mac_b, 2, 60);
  const auto burst = [&] {
    for (int i = 0; i < 20; ++i) a.transmit(bytes_of(frame));
    b.transmit(bytes_of(reply));
    w.loop.run_until_idle();
  };
  for (int i = 0; i < 3; ++i) burst();  // warm up: pools, event slots, MAC table
  const auto growths = first.pool().growths();

  allocations = 0;
  sink.count = 0;
  counting = true;
  for (int i = 0; i < 200; ++i) burst();
  counting = false;

  if (counting_allocations) CHECK(allocations.load() == 0);
  CHECK(first.pool().growths() == growths);
  CHECK(sink.count == 200 * 20 * 4);  // duplicated on both links
}

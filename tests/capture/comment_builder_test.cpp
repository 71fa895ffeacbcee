// CommentBuilder: notes grouped under labels, cut at the limit between
// UTF-8 characters; and which events can become notes at all.
#include <catch2/catch.hpp>

#include <utility>
#include <variant>

#include "capture/comment_builder.hpp"
#include "capture/frame_annotator.hpp"
#include "sinks/narrative_sink.hpp"

using netstep::capture::CommentBuilder;

TEST_CASE("comment: consecutive notes of one label share a group, others start a new one", "[capture][comment]") {
  CommentBuilder c{1024};
  CHECK(c.empty());
  c.add("client", "connect(3) -> -1, errno EINPROGRESS (115)");
  c.add("client", "CLOSED -> SYN-SENT");
  c.add({}, "dropped by link wan (a -> b): impairment: loss");
  c.add("server on receipt", "LISTEN -> SYN-RECEIVED");
  c.add("server on receipt", "accept(3) -> 4");
  c.add("router on receipt", "x");
  c.add("router", "y");
  CHECK(c.text() ==
        "client: connect(3) -> -1, errno EINPROGRESS (115); CLOSED -> SYN-SENT"
        " | dropped by link wan (a -> b): impairment: loss"
        " | server on receipt: LISTEN -> SYN-RECEIVED; accept(3) -> 4"
        " | router on receipt: x | router: y");
  c.clear();
  CHECK(c.empty());
  c.add({}, "a");
  c.add({}, "b");
  CHECK(c.text() == "a | b");
}

TEST_CASE("comment: one builder's notes are told on another under a new label", "[capture][comment]") {
  CommentBuilder open{1024};
  open.add("client", "INCOMPLETE -> FAILED");
  open.add("client", "From 10.0.0.1 icmp_seq=1 destination host unreachable");
  CommentBuilder frame{1024};
  frame.add("client", "ping 10.0.0.77");
  frame.add_notes_of("client 1.000000 s later", open);
  frame.add("client", "x");
  CHECK(frame.text() ==
        "client: ping 10.0.0.77 | client 1.000000 s later: INCOMPLETE -> FAILED; From 10.0.0.1 icmp_seq=1 destination"
        " host unreachable | client: x");
  CommentBuilder empty{1024};
  frame.add_notes_of("nobody", empty);
  CHECK(frame.text().ends_with("| client: x"));
}

TEST_CASE("comment: past the limit the text ends with ... and later notes are ignored", "[capture][comment]") {
  CommentBuilder c{20};
  c.add("client", "0123456789abcdef");
  CHECK(c.text() == "client: 012345678...");
  CHECK(c.text().size() == 20);
  CHECK(c.cut());
  c.add("client", "more");
  CHECK(c.text() == "client: 012345678...");

  CommentBuilder exact{20};
  exact.add("client", "0123456789ab");
  CHECK(exact.text() == "client: 0123456789ab");
  CHECK_FALSE(exact.cut());
}

TEST_CASE("comment: a cut never splits a UTF-8 character", "[capture][comment]") {
  CommentBuilder c{12};
  c.add({}, "h\xc3\xa9h\xc3\xa9h\xc3\xa9h\xc3\xa9");  // "héhéhéhé": 12 bytes fit, 13 do not
  CHECK(c.text() == "h\xc3\xa9h\xc3\xa9h\xc3\xa9h\xc3\xa9");
  CommentBuilder d{8};
  d.add({}, "h\xc3\xa9h\xc3\xa9h\xc3\xa9h\xc3\xa9");
  // 5 bytes would fit before "...", but the 5th is the first half of an é.
  CHECK(d.text() == "h\xc3\xa9h...");
}

TEST_CASE("comment: the payloads skipped as never told in brief are the ones the narrative leaves out",
          "[capture][comment]") {
  const auto check = [](const netstep::TracePayload& payload) {
    netstep::TraceEvent event;
    event.host = "client";
    event.payload = payload;
    INFO(netstep::kind_of(payload));
    if (!netstep::capture::told_in_brief(payload)) {
      CHECK(netstep::narrate(event, netstep::NarrativeOptions::Detail::Brief).empty());
    }
  };
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (check(netstep::TracePayload{std::in_place_index<I>}), ...);
  }(std::make_index_sequence<std::variant_size_v<netstep::TracePayload>>{});
  CHECK_FALSE(netstep::capture::told_in_brief(netstep::TcpSegment{}));
  CHECK(netstep::capture::told_in_brief(netstep::TcpStateChanged{}));
}

// CommentBuilder: notes grouped by host and role, cut at the limit between
// UTF-8 characters.
#include <catch2/catch.hpp>

#include "capture/comment_builder.hpp"

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

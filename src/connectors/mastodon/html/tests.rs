use super::*;

#[test]
fn real_mentions_and_hashtags_are_their_text() {
    // From notifications-mentions-01.json and pagination-01.json.
    let mention = r#"<p><span class="h-card" translate="no"><a href="http://localhost:3000/@mastodonpy_test" class="u-url mention">@<span>mastodonpy_test</span></a></span> hello!</p>"#;
    assert_eq!(to_text(mention), "@mastodonpy_test hello!");
    let hashtag = r#"<p>Toot number 29! <a href="http://localhost:3000/tags/fgiz" class="mention hashtag" rel="tag">#<span>fgiz</span></a></p>"#;
    assert_eq!(to_text(hashtag), "Toot number 29! #fgiz");
    // The mock's unlinked form gives the same.
    assert_eq!(to_text("<p>@alice on its way</p>"), "@alice on its way");
}

#[test]
fn paragraphs_breaks_and_lists_become_lines() {
    assert_eq!(
        to_text("<p>one<br>two<br/>three</p><p>four</p>"),
        "one\ntwo\nthree\n\nfour"
    );
    assert_eq!(to_text("<p>a<br><br><br><br>b</p>"), "a\n\nb");
    assert_eq!(
        to_text("<p>list:</p><ul><li>first</li><li>second</li></ul><p>end</p>"),
        "list:\n\n- first\n- second\n\nend"
    );
    assert_eq!(
        to_text("<p>  spaced \n\t out  </p>\n<p>\n</p>"),
        "spaced out"
    );
    assert_eq!(
        to_text("<pre>keep\n  this</pre>after"),
        "keep\n  this\n\nafter"
    );
}

#[test]
fn links_show_the_full_url_or_where_they_point() {
    // Mastodon's shortened display: the invisible parts are part of the URL.
    let long = r#"<p>see <a href="https://example.com/very/long/path/that/goes/on" rel="nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="ellipsis">example.com/very/long/pa</span><span class="invisible">th/that/goes/on</span></a> now</p>"#;
    assert_eq!(
        to_text(long),
        "see https://example.com/very/long/path/that/goes/on now"
    );
    let plain = r#"<p>Please <a href="https://evil.example/login">click here</a>.</p>"#;
    assert_eq!(
        to_text(plain),
        "Please click here (https://evil.example/login)."
    );
    let cut = r#"<a href="https://shop.example/orders/123">shop.example/orders/…</a>"#;
    assert_eq!(to_text(cut), "https://shop.example/orders/123");
    let bare = r#"<a href="https://shop.example/">shop.example</a>"#;
    assert_eq!(to_text(bare), "https://shop.example/");
    let script = r#"<a href="javascript:alert(1)">harmless</a>"#;
    assert_eq!(to_text(script), "harmless");
    let image = r#"look <a href="https://img.example/a.png"><img src="x"></a>"#;
    assert_eq!(to_text(image), "look https://img.example/a.png");
}

#[test]
fn entities_are_decoded() {
    assert_eq!(
        to_text("<p>Tom &amp; Jerry&#39;s &lt;b&gt; &quot;x&quot; &#x1F600; &hellip;</p>"),
        "Tom & Jerry's <b> \"x\" 😀 …"
    );
    assert_eq!(
        decode_entities("&#0; &#xD800; &#99999999; &#1234567890;"),
        "\u{FFFD} \u{FFFD} \u{FFFD} &#1234567890;"
    );
    assert_eq!(decode_entities("AT&T &unknown; &"), "AT&T &unknown; &");
    assert_eq!(decode_entities("&#65&#x42;"), "AB");
    let href = r#"<a href="https://a.example/?x=1&amp;y=2">go</a>"#;
    assert_eq!(to_text(href), "go (https://a.example/?x=1&y=2)");
}

#[test]
fn hostile_html_gives_text_and_never_runs_away() {
    assert_eq!(
        to_text("<p>hi<script>alert('x')</script> there<style>p{}</style></p>"),
        "hi there"
    );
    assert_eq!(to_text("<SCRIPT>evil()</ScRiPt>ok"), "ok");
    assert_eq!(to_text("<script>never closed"), "");
    assert_eq!(
        to_text("<p>unclosed <b>bold <a href=\"https://x.example\">link"),
        "unclosed bold link (https://x.example)"
    );
    assert_eq!(to_text("1 < 2 and 3 > 2"), "1 < 2 and 3 > 2");
    assert_eq!(to_text("a <!-- hidden --> b <!-- open"), "a b");
    assert_eq!(to_text("<p title='a > b'>quoted</p>"), "quoted");
    assert_eq!(
        to_text("x <unknown-tag foo=bar>kept</unknown-tag>"),
        "x kept"
    );
    assert_eq!(to_text("<p>cut at <a hr"), "cut at");
    assert_eq!(to_text(""), "");
    assert_eq!(to_text("<"), "<");
    // Huge input: linear, kept whole.
    let huge = "<p>".to_string() + &"word &amp; ".repeat(200_000) + "</p>";
    let started = std::time::Instant::now();
    let text = to_text(&huge);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(text.matches('&').count(), 200_000);
    let nested = "<a href=\"https://x.example\">".repeat(10_000);
    assert!(to_text(&nested).starts_with("https://x.example"));
    let tags = "<b>".repeat(100_000);
    assert_eq!(to_text(&tags), "");
}

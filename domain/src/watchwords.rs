//! Watched words (舆情监测): each union unit keeps a list of words in three
//! tiers, as Discourse's watched words do. A comment (later a mailbox letter)
//! is scanned once against the whole list: a Block word refuses it at once, a
//! Hold word sends it to the moderation queue flagged, an Alert word lets it
//! through but tells the officials.
//!
//! Text and words are normalised the same way first ([`normalise`]), so the
//! usual evasions — spaces, `·`, `＊` or zero-width chars between the chars,
//! full-width letters, traditional characters — still match.

use std::collections::HashSet;

use daachorse::CharwiseDoubleArrayAhoCorasick;
use serde::{Deserialize, Serialize};

/// Longest watched word, in normalised chars: the longest phrases officials
/// watch (slogans, full unit names) run to about 15 chars.
pub const MAX_WORD_CHARS: usize = 20;

/// How a hit is handled. Declared most severe first, so `Block < Hold < Alert`
/// and the minimum of several tiers is the one that decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")] // as `as_str` spells them, so JSON and stored rows agree
pub enum Tier {
    Block,
    Hold,
    Alert,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Block, Tier::Hold, Tier::Alert];

    pub fn parse(raw: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|tier| tier.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Block => "block",
            Tier::Hold => "hold",
            Tier::Alert => "alert",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Tier::Block => "拦截",
            Tier::Hold => "待审",
            Tier::Alert => "预警",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WatchWordError {
    #[error("请填写要监测的词语")]
    Empty,
    #[error("词语最长 {} 个字", MAX_WORD_CHARS)]
    TooLong,
}

/// A word as an official typed it (trimmed), checked by [`WatchWord::parse`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "RawWatchWord")]
pub struct WatchWord {
    pub word: String,
    pub tier: Tier,
    /// Whole-word entries match only where the word stands alone in the
    /// original text; see [`Watchlist`] for exactly what that means.
    pub whole_word: bool,
}

impl WatchWord {
    pub fn parse(word: &str, tier: Tier, whole_word: bool) -> Result<WatchWord, WatchWordError> {
        match normalise(word).chars().count() {
            0 => Err(WatchWordError::Empty),
            n if n > MAX_WORD_CHARS => Err(WatchWordError::TooLong),
            _ => Ok(WatchWord { word: word.trim().to_owned(), tier, whole_word }),
        }
    }
}

/// What a client sends; it becomes a [`WatchWord`] only through `parse`.
#[derive(Deserialize)]
struct RawWatchWord {
    word: String,
    tier: Tier,
    whole_word: bool,
}

impl TryFrom<RawWatchWord> for WatchWord {
    type Error = WatchWordError;
    fn try_from(raw: RawWatchWord) -> Result<Self, Self::Error> {
        WatchWord::parse(&raw.word, raw.tier, raw.whole_word)
    }
}

/// One listed word found in a text: `word` is spelled as the official typed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hit {
    pub word: String,
    pub tier: Tier,
}

/// Every distinct listed word a text contains, most severe first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Verdict {
    pub hits: Vec<Hit>,
}

impl Verdict {
    pub fn worst(&self) -> Option<Tier> {
        self.hits.iter().map(|hit| hit.tier).min()
    }

    /// The Block word to name when refusing the text.
    pub fn blocked(&self) -> Option<&Hit> {
        self.hits.iter().find(|hit| hit.tier == Tier::Block)
    }

    pub fn words(&self, tier: Tier) -> Vec<&str> {
        self.hits.iter().filter(|hit| hit.tier == tier).map(|hit| hit.word.as_str()).collect()
    }
}

/// A unit's words compiled once into one char-wise Aho–Corasick automaton, so
/// a scan walks the text once whatever the list's length (10 000 words: built
/// in 35 ms, a 2 000-char comment scanned in 0.14 ms, release, 2 cores).
/// Overlapping matches, such as 工会 inside 总工会, are all reported.
///
/// Whole-word entries: a match counts only if the original chars touching it
/// on each side (zero-width chars skipped, full-width folded) are not of the
/// same kind as the word's own edge char. The kinds are CJK ideographs and
/// other letters/digits; whitespace, punctuation and symbols are never a kind.
/// So whole-word `sb` is refused in `usb` and `sbc` but caught in `you are sb`
/// and `ＳＢ！`, and whole-word `工会` is caught in `工会，你好`, `找 工会 帮忙`
/// and `工会abc` but not in `总工会` or `工会主席`. Neighbours are read in the
/// original text, not the normalised one: normalising drops spaces, so in
/// `you are sb` the normalised neighbour of `sb` would be `e`. Chars spread
/// out inside the match (`s b`, `工 会`) still count, as for any entry.
#[derive(Clone)]
pub struct Watchlist {
    entries: Vec<Entry>,
    /// `None` only if daachorse refuses to build, which needs more than
    /// u32::MAX states (over 200 million 20-char words): no unit's list.
    automaton: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
}

#[derive(Clone)]
struct Entry {
    word: WatchWord,
    normalised: String,
}

impl Watchlist {
    /// Words whose normalised form is empty are dropped; a word listed twice
    /// (same normalised form, same `whole_word`) keeps its most severe tier.
    pub fn new(words: impl IntoIterator<Item = WatchWord>) -> Watchlist {
        let mut words: Vec<WatchWord> = words.into_iter().collect();
        words.sort_by_key(|word| word.tier); // stable: first-typed spelling wins within a tier
        let mut seen = HashSet::new();
        let entries: Vec<Entry> = words
            .into_iter()
            .map(|word| Entry { normalised: normalise(&word.word), word })
            .filter(|entry| !entry.normalised.is_empty())
            .filter(|entry| seen.insert((entry.normalised.clone(), entry.word.whole_word)))
            .collect();
        let patterns = entries.iter().zip(0u32..).map(|(entry, id)| (entry.normalised.as_str(), id));
        let automaton = CharwiseDoubleArrayAhoCorasick::with_values(patterns).ok();
        Watchlist { entries, automaton }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every distinct word found (one hit per normalised word, its most severe
    /// tier), most severe first, then in order of first appearance.
    pub fn scan(&self, text: &str) -> Vec<Hit> {
        let Some(automaton) = &self.automaton else { return Vec::new() };
        let folded = Folded::new(text);
        let mut found = Vec::new();
        let mut seen_entries = HashSet::new();
        for m in automaton.find_overlapping_iter(&folded.text) {
            let Some(entry) = self.entries.get(m.value() as usize) else { continue };
            if seen_entries.contains(&m.value()) || (entry.word.whole_word && !folded.stands_alone(m.start(), m.end()))
            {
                continue;
            }
            seen_entries.insert(m.value());
            found.push((entry.word.tier, m.start(), entry));
        }
        found.sort_by_key(|&(tier, at, _)| (tier, at));
        let mut seen_words = HashSet::new();
        found
            .into_iter()
            .filter(|(_, _, entry)| seen_words.insert(entry.normalised.as_str()))
            .map(|(tier, _, entry)| Hit { word: entry.word.word.clone(), tier })
            .collect()
    }

    pub fn verdict(&self, text: &str) -> Verdict {
        Verdict { hits: self.scan(text) }
    }
}

impl std::fmt::Debug for Watchlist {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watchlist").field("words", &self.entries.len()).finish()
    }
}

/// The form words are stored and matched in: full-width ASCII (U+FF01–U+FF5E)
/// to half-width, ASCII lowercased, only letters and digits kept (whitespace,
/// punctuation, symbols, emoji and zero-width chars go), traditional
/// characters folded to simplified.
pub fn normalise(text: &str) -> String {
    Folded::new(text).text
}

/// A normalised text and, for each of its chars, where it came from.
struct Folded<'a> {
    original: &'a str,
    text: String,
    /// (byte offset in `text`, byte range in `original`), one per char of `text`.
    origins: Vec<(usize, usize, usize)>,
}

impl<'a> Folded<'a> {
    fn new(original: &'a str) -> Folded<'a> {
        let mut text = String::with_capacity(original.len());
        let mut origins = Vec::with_capacity(original.len() / 3);
        for (at, raw) in original.char_indices() {
            let c = fold(raw);
            if c.is_alphanumeric() {
                origins.push((text.len(), at, at + raw.len_utf8()));
                text.push(simplified(c));
            }
        }
        Folded { original, text, origins }
    }

    /// Whether the match at `start..end` (bytes of `text`) stands alone in the original.
    fn stands_alone(&self, start: usize, end: usize) -> bool {
        let first = self.origins.partition_point(|&(at, _, _)| at < start);
        let last = self.origins.partition_point(|&(at, _, _)| at < end).saturating_sub(1);
        let (Some(&(_, from, _)), Some(&(_, _, to))) = (self.origins.get(first), self.origins.get(last)) else {
            return false;
        };
        let Some(word) = self.text.get(start..end) else { return false };
        let visible = |c: &char| !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}');
        let before = self.original.get(..from).and_then(|s| s.chars().rev().find(visible));
        let after = self.original.get(to..).and_then(|s| s.chars().find(visible));
        let differs = |edge: Option<char>, neighbour: Option<char>| match (
            edge.and_then(kind),
            neighbour.map(fold).and_then(kind),
        ) {
            (Some(edge), Some(neighbour)) => edge != neighbour,
            _ => true,
        };
        differs(word.chars().next(), before) && differs(word.chars().next_back(), after)
    }
}

#[derive(PartialEq)]
enum Kind {
    Ideograph,
    LetterOrDigit,
}

fn kind(c: char) -> Option<Kind> {
    // CJK Unified Ideographs, Extension A, Compatibility, Extensions B–G.
    if matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
    {
        Some(Kind::Ideograph)
    } else if c.is_alphanumeric() {
        Some(Kind::LetterOrDigit)
    } else {
        None
    }
}

fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c).to_ascii_lowercase(),
        '\u{3000}' => ' ',
        _ => c.to_ascii_lowercase(),
    }
}

/// Traditional to simplified, one char at a time: fast2s looks at neighbours
/// for ~20 pairs (乾隆 keeps 乾), which would let the same char normalise
/// differently in a word and in the text around it.
fn simplified(c: char) -> char {
    if c.len_utf8() != 3 {
        return c; // fast2s's table holds only 3-byte (BMP CJK) chars
    }
    fast2s::convert(c.encode_utf8(&mut [0; 4])).chars().next().unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn list(words: &[(&str, Tier, bool)]) -> Watchlist {
        Watchlist::new(words.iter().map(|&(word, tier, whole)| WatchWord::parse(word, tier, whole).unwrap()))
    }

    fn found(list: &Watchlist, text: &str) -> Vec<String> {
        list.scan(text).into_iter().map(|hit| hit.word).collect()
    }

    #[test]
    fn tiers_read_their_names_and_block_is_most_severe() {
        for tier in Tier::ALL {
            assert_eq!(Tier::parse(tier.as_str()), Some(tier));
        }
        assert_eq!(Tier::parse("Block"), None);
        assert_eq!([Tier::Block.label(), Tier::Hold.label(), Tier::Alert.label()], ["拦截", "待审", "预警"]);
        assert!(Tier::Block < Tier::Hold && Tier::Hold < Tier::Alert);
    }

    #[test]
    fn a_word_has_one_to_twenty_chars_once_normalised() {
        let error = WatchWord::parse(" ，。！\u{3000}", Tier::Block, false).unwrap_err();
        assert_eq!((error.clone(), error.to_string()), (WatchWordError::Empty, "请填写要监测的词语".to_owned()));
        assert_eq!(WatchWord::parse(&"工".repeat(21), Tier::Hold, false), Err(WatchWordError::TooLong));
        assert_eq!(WatchWordError::TooLong.to_string(), "词语最长 20 个字");
        let spaced = "工 ".repeat(20); // 40 chars typed, 20 after normalising
        assert_eq!(WatchWord::parse(&spaced, Tier::Hold, false).map(|w| w.word), Ok(spaced.trim().to_owned()));
    }

    #[test]
    fn a_watch_word_deserialised_from_a_client_is_checked_like_typed_input() {
        let raw = |word: &str| RawWatchWord { word: word.to_owned(), tier: Tier::Hold, whole_word: false };
        assert_eq!(WatchWord::try_from(raw(" 工会 ")).map(|w| w.word), Ok("工会".to_owned()));
        assert_eq!(WatchWord::try_from(raw("！")), Err(WatchWordError::Empty));
    }

    #[test]
    fn a_word_split_by_spaces_is_still_caught() {
        let list = list(&[("工会", Tier::Hold, false)]);
        for text in ["去找工 会吧", "工\u{3000}会", "工　 \t会"] {
            assert_eq!(found(&list, text), ["工会"], "{text}");
        }
    }

    #[test]
    fn punctuation_symbols_and_zero_width_chars_between_chars_are_ignored() {
        let list = list(&[("工会", Tier::Hold, false)]);
        for text in ["工·会", "工＊会", "工*会", "工-会", "工_会", "工，会", "工\u{200B}会", "工\u{FEFF}会", "工😀会"]
        {
            assert_eq!(found(&list, text), ["工会"], "{text}");
        }
    }

    #[test]
    fn full_width_letters_are_caught_by_their_ascii_word() {
        let list = list(&[("sb", Tier::Block, false)]);
        for text in ["ＳＢ", "ｓｂ", "SB", "Ｓ Ｂ"] {
            assert_eq!(found(&list, text), ["sb"], "{text}");
        }
    }

    #[test]
    fn traditional_characters_are_caught_by_the_simplified_word_and_back() {
        assert_eq!(found(&list(&[("工会", Tier::Hold, false)]), "找工會幫忙"), ["工会"]);
        assert_eq!(found(&list(&[("工會", Tier::Hold, false)]), "找工会帮忙"), ["工會"]);
        assert_eq!(normalise("乾隆"), normalise("干隆"), "folded char by char, never by context");
    }

    #[test]
    fn a_word_inside_another_listed_word_is_found_too() {
        let list = list(&[("总工会", Tier::Hold, false), ("工会", Tier::Alert, false), ("会", Tier::Alert, false)]);
        assert_eq!(found(&list, "市总工会"), ["总工会", "工会", "会"]);
    }

    #[test]
    fn a_whole_word_ascii_entry_skips_usb_and_sbc_but_catches_sb_standing_alone() {
        let list = list(&[("sb", Tier::Block, true)]);
        for text in ["usb", "sbc", "USB 接口", "ｕＳＢ"] {
            assert!(found(&list, text).is_empty(), "{text}");
        }
        for text in ["sb", "you are sb", "ＳＢ！", "是sb吗", "s b", "u\u{200B} sb"] {
            assert_eq!(found(&list, text), ["sb"], "{text}");
        }
    }

    #[test]
    fn a_whole_word_chinese_entry_must_stand_alone_in_the_original_text() {
        let list = list(&[("工会", Tier::Hold, true)]);
        for text in ["工会，你好", "找 工会 帮忙", "工会", "「工 会」", "工会abc"] {
            assert_eq!(found(&list, text), ["工会"], "{text}");
        }
        for text in ["总工会", "工会主席", "总\u{200B}工会", "我们的工会很好"] {
            assert!(found(&list, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn an_entry_that_is_not_whole_word_matches_inside_longer_words() {
        assert_eq!(found(&list(&[("工会", Tier::Alert, false)]), "我们的总 工 会主席"), ["工会"]);
    }

    #[test]
    fn each_word_is_reported_once_most_severe_first() {
        let list = list(&[("加班", Tier::Alert, false), ("罢工", Tier::Block, false), ("欠薪", Tier::Hold, false)]);
        let verdict = list.verdict("加班加班，欠薪，罢工！加班");
        assert_eq!(found(&list, "加班加班，欠薪，罢工！加班"), ["罢工", "欠薪", "加班"]);
        assert_eq!(verdict.worst(), Some(Tier::Block));
        assert_eq!(verdict.blocked(), Some(&Hit { word: "罢工".to_owned(), tier: Tier::Block }));
        assert_eq!((verdict.words(Tier::Hold), verdict.words(Tier::Alert)), (vec!["欠薪"], vec!["加班"]));
        assert_eq!(list.verdict("今天天气好"), Verdict::default());
    }

    #[test]
    fn a_word_listed_twice_keeps_its_stricter_tier() {
        let list = list(&[
            ("欠薪", Tier::Alert, false),
            ("欠 薪", Tier::Block, false),
            ("sb", Tier::Alert, false),
            ("sb", Tier::Block, true),
        ]);
        assert_eq!(list.len(), 3);
        assert_eq!(list.scan("欠薪"), [Hit { word: "欠 薪".to_owned(), tier: Tier::Block }]);
        assert_eq!(list.scan("usb"), [Hit { word: "sb".to_owned(), tier: Tier::Alert }]);
        assert_eq!(list.scan("sb"), [Hit { word: "sb".to_owned(), tier: Tier::Block }]);
    }

    #[test]
    fn an_empty_watchlist_finds_nothing() {
        let list = Watchlist::new(Vec::new());
        assert!(list.is_empty() && list.scan("任何话").is_empty() && list.scan("").is_empty());
        let unchecked = WatchWord { word: "，".to_owned(), tier: Tier::Block, whole_word: false };
        assert!(Watchlist::new([unchecked]).is_empty(), "a word that normalises to nothing would match everywhere");
    }

    #[test]
    fn a_ten_thousand_word_list_finds_the_words_planted_in_a_long_comment() {
        // Words: 2–4 chars from U+4E00..U+9FA5 by an LCG (Numerical Recipes constants).
        let mut seed = 20_240_501u32;
        let mut next = |bound: u32| {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (seed >> 8) % bound
        };
        let words: Vec<String> = (0..10_000)
            .map(|_| (0..2 + next(3)).filter_map(|_| char::from_u32(0x4E00 + next(0x9FA5 - 0x4E00 + 1))).collect())
            .collect();
        let started = std::time::Instant::now();
        let list = Watchlist::new(
            words
                .iter()
                .zip(Tier::ALL.into_iter().cycle())
                .map(|(word, tier)| WatchWord::parse(word, tier, false).unwrap()),
        );
        let built = started.elapsed();
        // Filler from CJK Extension A (U+3400..), which no generated word uses.
        let planted = [17, 4_242, 9_999];
        let mut comment = String::new();
        for i in 0..2_000 - 3 * 4 {
            if i % 600 == 300 {
                comment.push_str(&words[planted[i / 600]]);
            }
            comment.extend(char::from_u32(0x3400 + next(0x1000)));
        }
        let started = std::time::Instant::now();
        let hits = list.scan(&comment);
        let (scanned, chars) = (started.elapsed(), comment.chars().count());
        eprintln!("{} words built in {built:?}; {chars}-char comment scanned in {scanned:?}", list.len());
        let mut expected: Vec<Hit> =
            planted.iter().map(|&i| Hit { word: words[i].clone(), tier: Tier::ALL[i % 3] }).collect();
        expected.sort_by_key(|hit| hit.tier);
        assert_eq!(hits, expected);
    }

    proptest! {
        #[test]
        fn spaces_between_a_planted_words_chars_never_hide_it(
            before in "[a-z0-9\u{4E00}-\u{9FA5}，。 ]{0,30}",
            word in "[a-z\u{4E00}-\u{9FA5}]{2,6}",
            after in "[a-z0-9\u{4E00}-\u{9FA5}，。 ]{0,30}",
            gaps in proptest::collection::vec(" {1,3}|\u{3000}", 5),
        ) {
            let list = list(&[(&word, Tier::Hold, false)]);
            let mut spread = String::new();
            for (c, gap) in word.chars().zip(gaps.iter().map(String::as_str).chain(std::iter::repeat(""))) {
                spread.push(c);
                spread.push_str(gap);
            }
            prop_assert_eq!(found(&list, &format!("{before}{spread}{after}")), vec![word.clone()]);
        }
    }
}

//! Word wrapping of one clean line into rows of at most `width` columns.
//!
//! Rows break at whitespace when they can (the whitespace at a break is dropped); a word wider
//! than a row is broken between graphemes, never inside one, and a wide character that would
//! straddle the edge starts the next row. A grapheme wider than a whole row (a CJK character
//! when the width is 1) cannot be shown and becomes `…`.

use super::lines::cells;

/// Rows being filled, up to a limit.
pub(super) struct Rows {
    pub rows: Vec<String>,
    limit: usize,
    /// Set when a row had to be left out because the limit was reached.
    pub overflowed: bool,
}

impl Rows {
    pub(super) fn new(limit: usize) -> Rows {
        Rows {
            rows: Vec::new(),
            limit,
            overflowed: false,
        }
    }

    pub(super) fn is_full(&self) -> bool {
        self.rows.len() >= self.limit
    }

    /// Adds a row; false (and `overflowed`) when there was no room for it.
    fn push(&mut self, row: String) -> bool {
        if self.is_full() {
            self.overflowed = true;
            return false;
        }
        self.rows.push(row);
        true
    }
}

/// A row being filled.
#[derive(Default)]
struct Row {
    text: String,
    width: usize,
}

impl Row {
    fn add(&mut self, text: &str, width: usize) {
        self.text.push_str(text);
        self.width += width;
    }
}

/// Wraps one clean line (tabs expanded) into `rows`. Stops early when the rows are full.
pub(super) fn wrap_line(line: &str, width: usize, rows: &mut Rows) {
    let mut row = Row::default();
    let mut space = Row::default(); // whitespace seen since the last word
    let mut word = Row::default();
    let mut first_row = true;
    for (g, w) in cells(line) {
        let is_space = g.chars().all(char::is_whitespace);
        if is_space {
            if !word.text.is_empty()
                && !place_word(&mut row, &mut space, &mut word, width, rows, &mut first_row)
            {
                return;
            }
            space.add(g, w);
        } else {
            word.add(g, w);
        }
    }
    if !word.text.is_empty()
        && !place_word(&mut row, &mut space, &mut word, width, rows, &mut first_row)
    {
        return;
    }
    if !row.text.is_empty() || first_row {
        rows.push(row.text);
    }
}

/// Puts the pending whitespace and word on the row, starting new rows as needed.
/// Returns false once the rows are full.
fn place_word(
    row: &mut Row,
    space: &mut Row,
    word: &mut Row,
    width: usize,
    rows: &mut Rows,
    first_row: &mut bool,
) -> bool {
    let space = std::mem::take(space);
    let word = std::mem::take(word);
    let at_start = row.text.is_empty();
    // Leading whitespace is kept only as the indentation of the line's first row.
    let space_width = if at_start && !*first_row {
        0
    } else {
        space.width
    };
    if row.width + space_width + word.width <= width {
        if space_width > 0 {
            row.add(&space.text, space.width);
        }
        row.add(&word.text, word.width);
        return true;
    }
    if word.width <= width {
        if !at_start && !finish_row(row, rows, first_row) {
            return false;
        }
        row.add(&word.text, word.width);
        return true;
    }
    // Longer than a row: fill what is left of this row, then break between graphemes.
    if space_width > 0 && row.width + space_width < width {
        row.add(&space.text, space.width);
    }
    for (g, w) in cells(&word.text) {
        let (g, w) = if w > width { ("…", 1) } else { (g, w) };
        if row.width + w > width && !finish_row(row, rows, first_row) {
            return false;
        }
        row.add(g, w);
    }
    true
}

fn finish_row(row: &mut Row, rows: &mut Rows, first_row: &mut bool) -> bool {
    *first_row = false;
    rows.push(std::mem::take(row).text)
}

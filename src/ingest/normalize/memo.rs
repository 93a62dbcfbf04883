//! Answers of the profile's lookups remembered by their text, for one sheet.
//!
//! A sheet repeats the same few spellings on every row (an exam label, a route, a sex, a column
//! header), and each lookup folds accents and case word by word: remembering the answer for a
//! text turns a national export's millions of lookups into a few hundred. Each memo holds at most
//! [`MAX_TEXTS`] texts (it starts again when full), so a column of distinct values cannot make it
//! grow with the sheet.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use foldhash::fast::FixedState;

/// Most texts one memo remembers.
pub(super) const MAX_TEXTS: usize = 4096;

/// The answers of one lookup, by text.
pub(super) struct Memo<T> {
    answers: RefCell<HashMap<String, T, FixedState>>,
}

impl<T: Clone> Memo<T> {
    /// An empty memo.
    pub(super) fn new() -> Memo<T> {
        Memo {
            answers: RefCell::new(HashMap::with_hasher(FixedState::default())),
        }
    }

    /// The answer for `text`: remembered, else computed by `lookup` and remembered.
    pub(super) fn get(&self, text: &str, lookup: impl FnOnce(&str) -> T) -> T {
        if let Some(answer) = self.answers.borrow().get(text) {
            return answer.clone();
        }
        let answer = lookup(text);
        let mut answers = self.answers.borrow_mut();
        if answers.len() >= MAX_TEXTS {
            answers.clear();
        }
        answers.insert(text.to_owned(), answer.clone());
        answer
    }
}

/// The memos of a sheet's rows.
pub(super) struct Memos {
    /// Exam code of a long layout's exam label.
    pub(super) exam_label: Memo<Option<Rc<str>>>,
    /// Form of an exam (CCF, one-off) said by a header or a label.
    pub(super) exam_mode: Memo<Option<String>>,
    /// Scale of a column header (`/40`).
    pub(super) scale: Memo<Option<u32>>,
    /// Route of a category.
    pub(super) route: Memo<Option<String>>,
    /// Sex of a spelling.
    pub(super) sex: Memo<Option<String>>,
}

impl Memos {
    /// Empty memos.
    pub(super) fn new() -> Memos {
        Memos {
            exam_label: Memo::new(),
            exam_mode: Memo::new(),
            scale: Memo::new(),
            route: Memo::new(),
            sex: Memo::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_text_is_looked_up_once_and_the_memo_stays_bounded() {
        let calls = Cell::new(0);
        let memo: Memo<usize> = Memo::new();
        let lookup = |t: &str| {
            calls.set(calls.get() + 1);
            t.len()
        };
        assert_eq!(memo.get("Scolaire", lookup), 8);
        assert_eq!(memo.get("Scolaire", lookup), 8);
        assert_eq!(calls.get(), 1);
        for i in 0..3 * MAX_TEXTS {
            assert_eq!(memo.get(&i.to_string(), lookup), i.to_string().len());
        }
        assert!(memo.answers.borrow().len() <= MAX_TEXTS);
    }
}

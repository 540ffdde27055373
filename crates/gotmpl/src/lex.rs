//! The lexer of Go's text/template: turns template text into items, with the same token
//! boundaries, trim markers and error texts as `text/template/parse/lex.go`.

/// The kind of an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemType {
    Error,
    Bool,
    Char,
    CharConstant,
    Comment,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    /// A complex constant written as a pair, `1+2i` (no spaces).
    Complex,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords.
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl ItemType {
    fn is_keyword(self) -> bool {
        matches!(
            self,
            ItemType::Block
                | ItemType::Break
                | ItemType::Continue
                | ItemType::Dot
                | ItemType::Define
                | ItemType::Else
                | ItemType::End
                | ItemType::If
                | ItemType::Nil
                | ItemType::Range
                | ItemType::Template
                | ItemType::With
        )
    }
}

/// One token: its kind, its text, its byte offset and the line it starts on.
#[derive(Clone, Debug)]
pub struct Item {
    pub typ: ItemType,
    pub pos: usize,
    pub val: String,
    pub line: usize,
}

impl Item {
    /// How Go's parser names the item in `unexpected ...` messages.
    pub fn describe(&self) -> String {
        match self.typ {
            ItemType::Eof => "EOF".into(),
            ItemType::Error => self.val.clone(),
            t if t.is_keyword() => format!("<{}>", self.val),
            _ => {
                if self.val.chars().count() > 10 {
                    let short: String = self.val.chars().take(10).collect();
                    format!("{}...", crate::fmt::quote_go(&short))
                } else {
                    crate::fmt::quote_go(&self.val)
                }
            }
        }
    }
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";
const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

/// Lexes the whole input into items (the parser needs lookahead anyway, and templates are
/// small). Stops after the first error item.
pub fn lex(input: &str, break_ok: bool, continue_ok: bool) -> Vec<Item> {
    let mut l = Lexer {
        input,
        start: 0,
        pos: 0,
        line: 1,
        start_line: 1,
        items: Vec::new(),
        paren_depth: 0,
        break_ok,
        continue_ok,
    };
    l.run();
    l.items
}

struct Lexer<'a> {
    input: &'a str,
    start: usize,
    pos: usize,
    line: usize,
    start_line: usize,
    items: Vec<Item>,
    paren_depth: i32,
    break_ok: bool,
    continue_ok: bool,
}

enum State {
    Text,
    LeftDelim,
    InsideAction,
    Done,
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn backup(&mut self, c: char) {
        self.pos -= c.len_utf8();
        if c == '\n' {
            self.line -= 1;
        }
    }

    fn emit(&mut self, typ: ItemType) {
        let val = self.input[self.start..self.pos].to_string();
        self.items.push(Item {
            typ,
            pos: self.start,
            val,
            line: self.start_line,
        });
        self.start = self.pos;
        self.start_line = self.line;
    }

    fn ignore(&mut self) {
        self.line += self.input[self.start..self.pos].matches('\n').count();
        self.start = self.pos;
        self.start_line = self.line;
    }

    fn error(&mut self, msg: String) -> State {
        self.items.push(Item {
            typ: ItemType::Error,
            pos: self.start,
            val: msg,
            line: self.start_line,
        });
        State::Done
    }

    fn run(&mut self) {
        let mut state = State::Text;
        loop {
            state = match state {
                State::Text => self.lex_text(),
                State::LeftDelim => self.lex_left_delim(),
                State::InsideAction => self.lex_inside_action(),
                State::Done => return,
            };
        }
    }

    fn lex_text(&mut self) -> State {
        if let Some(x) = self.rest().find(LEFT) {
            if x > 0 {
                self.pos += x;
                // Trim trailing space if the action starts with "{{- ".
                let mut trim = 0;
                let after = &self.input[self.pos + LEFT.len()..];
                if has_left_trim(after) {
                    let text = &self.input[self.start..self.pos];
                    trim = text.len() - text.trim_end_matches([' ', '\t', '\r', '\n']).len();
                }
                self.pos -= trim;
                self.line += self.input[self.start..self.pos].matches('\n').count();
                self.emit_text_keep_line();
                self.pos += trim;
                self.ignore();
            }
            return State::LeftDelim;
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            self.line += self.input[self.start..self.pos].matches('\n').count();
            self.emit_text_keep_line();
        }
        self.items.push(Item {
            typ: ItemType::Eof,
            pos: self.pos,
            val: String::new(),
            line: self.line,
        });
        State::Done
    }

    /// Emits a text item whose newlines were already counted into `line`.
    fn emit_text_keep_line(&mut self) {
        let val = self.input[self.start..self.pos].to_string();
        self.items.push(Item {
            typ: ItemType::Text,
            pos: self.start,
            val,
            line: self.start_line,
        });
        self.start = self.pos;
        self.start_line = self.line;
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = self.rest();
        if has_right_trim(rest) && rest[2..].starts_with(RIGHT) {
            return (true, true);
        }
        if rest.starts_with(RIGHT) {
            return (true, false);
        }
        (false, false)
    }

    fn lex_left_delim(&mut self) -> State {
        self.pos += LEFT.len();
        let trim = has_left_trim(self.rest());
        let after = if trim { 2 } else { 0 };
        if self.rest()[after..].starts_with(LEFT_COMMENT) {
            self.pos += after;
            self.ignore();
            return self.lex_comment();
        }
        self.emit(ItemType::LeftDelim);
        self.pos += after;
        self.ignore();
        self.paren_depth = 0;
        State::InsideAction
    }

    fn lex_comment(&mut self) -> State {
        self.pos += LEFT_COMMENT.len();
        let Some(x) = self.rest().find(RIGHT_COMMENT) else {
            return self.error("unclosed comment".into());
        };
        self.pos += x + RIGHT_COMMENT.len();
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.error("comment ends before closing delimiter".into());
        }
        if trim {
            self.pos += 2;
        }
        self.pos += RIGHT.len();
        if trim {
            let rest = self.rest();
            self.pos += rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
        }
        self.ignore();
        State::Text
    }

    fn lex_right_delim(&mut self, trim: bool) -> State {
        if trim {
            self.pos += 2;
            self.ignore();
        }
        self.pos += RIGHT.len();
        self.emit(ItemType::RightDelim);
        if trim {
            let rest = self.rest();
            self.pos += rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
            self.ignore();
        }
        State::Text
    }

    fn lex_inside_action(&mut self) -> State {
        let (delim, trim) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return self.lex_right_delim(trim);
            }
            return self.error("unclosed left paren".into());
        }
        let Some(r) = self.next() else {
            return self.error("unclosed action".into());
        };
        match r {
            c if c.is_ascii() && is_space(c as u8) => {
                self.backup(c);
                self.lex_space()
            }
            '=' => {
                self.emit(ItemType::Assign);
                State::InsideAction
            }
            ':' => {
                if self.next() != Some('=') {
                    return self.error("expected :=".into());
                }
                self.emit(ItemType::Declare);
                State::InsideAction
            }
            '|' => {
                self.emit(ItemType::Pipe);
                State::InsideAction
            }
            '"' => self.lex_quote(),
            '`' => self.lex_raw_quote(),
            '$' => self.lex_variable(),
            '\'' => self.lex_char(),
            '.' => {
                if let Some(c) = self.peek()
                    && c.is_ascii_digit()
                {
                    self.backup('.');
                    return self.lex_number();
                }
                self.lex_field()
            }
            '+' | '-' | '0'..='9' => {
                self.backup(r);
                self.lex_number()
            }
            c if is_alnum(c) => {
                self.backup(c);
                self.lex_identifier()
            }
            '(' => {
                self.emit(ItemType::LeftParen);
                self.paren_depth += 1;
                State::InsideAction
            }
            ')' => {
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return self.error("unexpected right paren".into());
                }
                self.emit(ItemType::RightParen);
                State::InsideAction
            }
            c if c.is_ascii() && !c.is_ascii_control() => {
                self.emit(ItemType::Char);
                State::InsideAction
            }
            c => self.error(format!(
                "unrecognized character in action: {}",
                crate::fmt::go_char_u(c)
            )),
        }
    }

    fn lex_space(&mut self) -> State {
        let mut num = 0;
        while let Some(c) = self.peek() {
            if !(c.is_ascii() && is_space(c as u8)) {
                break;
            }
            self.next();
            num += 1;
            // A space before the right trim marker belongs to the marker.
            if has_right_trim(&self.input[self.pos - 1..])
                && self.input[self.pos - 1 + 2..].starts_with(RIGHT)
            {
                self.backup(c);
                if num == 1 {
                    return State::InsideAction;
                }
                break;
            }
        }
        self.emit(ItemType::Space);
        State::InsideAction
    }

    fn lex_identifier(&mut self) -> State {
        if let Err(e) = self.scan_word() {
            return e;
        }
        let word = &self.input[self.start..self.pos];
        let typ = match word {
            "block" => ItemType::Block,
            "break" if self.break_ok => ItemType::Break,
            "continue" if self.continue_ok => ItemType::Continue,
            "define" => ItemType::Define,
            "else" => ItemType::Else,
            "end" => ItemType::End,
            "if" => ItemType::If,
            "range" => ItemType::Range,
            "nil" => ItemType::Nil,
            "template" => ItemType::Template,
            "with" => ItemType::With,
            "true" | "false" => ItemType::Bool,
            _ if word.starts_with('.') => ItemType::Field,
            _ => ItemType::Identifier,
        };
        self.emit(typ);
        State::InsideAction
    }

    fn lex_field(&mut self) -> State {
        self.lex_field_or_variable(ItemType::Field)
    }

    fn lex_variable(&mut self) -> State {
        self.lex_field_or_variable(ItemType::Variable)
    }

    fn lex_field_or_variable(&mut self, typ: ItemType) -> State {
        if self.at_terminator() {
            if typ == ItemType::Variable {
                self.emit(ItemType::Variable);
            } else {
                self.emit(ItemType::Dot);
            }
            return State::InsideAction;
        }
        if let Err(e) = self.scan_word() {
            return e;
        }
        self.emit(typ);
        State::InsideAction
    }

    /// Consumes the rest of an alphanumeric word, which must end at a terminator: `Err` is
    /// the error state when it does not.
    fn scan_word(&mut self) -> Result<(), State> {
        while let Some(c) = self.next() {
            if !is_alnum(c) {
                self.backup(c);
                break;
            }
        }
        if !self.at_terminator() {
            let c = self.peek().unwrap_or(' ');
            return Err(self.error(format!("bad character {}", crate::fmt::go_char_u(c))));
        }
        Ok(())
    }

    fn at_terminator(&self) -> bool {
        let Some(c) = self.peek() else {
            return true;
        };
        if matches!(
            c,
            ' ' | '\t' | '\r' | '\n' | '.' | ',' | '|' | ':' | ')' | '('
        ) {
            return true;
        }
        self.rest().starts_with(RIGHT)
    }

    fn lex_char(&mut self) -> State {
        self.lex_escaped(
            '\'',
            ItemType::CharConstant,
            "unterminated character constant",
        )
    }

    fn lex_quote(&mut self) -> State {
        self.lex_escaped('"', ItemType::String, "unterminated quoted string")
    }

    /// A character constant or quoted string up to the closing `quote`, which a backslash
    /// escapes; the end of the input or of the line first is the error `unterminated`.
    fn lex_escaped(&mut self, quote: char, typ: ItemType, unterminated: &str) -> State {
        loop {
            match self.next() {
                Some('\\') => {
                    if let Some(c) = self.next()
                        && c != '\n'
                    {
                        continue;
                    }
                    return self.error(unterminated.into());
                }
                None | Some('\n') => return self.error(unterminated.into()),
                Some(c) if c == quote => break,
                _ => {}
            }
        }
        self.emit(typ);
        State::InsideAction
    }

    fn lex_number(&mut self) -> State {
        if !self.scan_number() {
            return self.bad_number();
        }
        if matches!(self.peek(), Some('+' | '-')) {
            // A complex pair: `1+2i`, no spaces, the second part imaginary.
            if !self.scan_number() || !self.input[..self.pos].ends_with('i') {
                return self.bad_number();
            }
            self.emit(ItemType::Complex);
            return State::InsideAction;
        }
        self.emit(ItemType::Number);
        State::InsideAction
    }

    fn bad_number(&mut self) -> State {
        let bad = self.input[self.start..self.pos].to_string();
        self.error(format!("bad number syntax: {}", crate::fmt::quote_go(&bad)))
    }

    fn accept(&mut self, valid: &str) -> bool {
        if let Some(c) = self.peek()
            && valid.contains(c)
        {
            self.next();
            return true;
        }
        false
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if let Some(c) = self.peek()
            && is_alnum(c)
        {
            self.next();
            return false;
        }
        true
    }

    fn lex_raw_quote(&mut self) -> State {
        loop {
            match self.next() {
                None => return self.error("unterminated raw quoted string".into()),
                Some('`') => break,
                _ => {}
            }
        }
        self.emit(ItemType::RawString);
        State::InsideAction
    }
}

fn has_left_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1])
}

fn has_right_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0]) && b[1] == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(s: &str) -> Vec<ItemType> {
        lex(s, true, true).into_iter().map(|i| i.typ).collect()
    }

    #[test]
    fn trims_and_comments() {
        let items = lex("a  {{- 1 -}}  b{{/* c */}}d", true, true);
        let texts: Vec<_> = items
            .iter()
            .filter(|i| i.typ == ItemType::Text)
            .map(|i| i.val.as_str())
            .collect();
        assert_eq!(texts, ["a", "b", "d"]);
    }

    #[test]
    fn fields_and_numbers() {
        use ItemType::*;
        assert_eq!(
            types("{{.a.b 1.5 $x}}"),
            [
                LeftDelim, Field, Field, Space, Number, Space, Variable, RightDelim, Eof
            ]
        );
        assert_eq!(types("{{3k}}").last(), Some(&Error));
    }
}

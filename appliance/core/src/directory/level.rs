//! Levels of classes (« 6e », « 2de »), from the class codes the académie gives: what
//! audiences « toutes les classes de 5e » are made of.

/// The level of a class, from its code: the leading digit of a collège's or lycée's class
/// (`6A`, `6EME2` → `6`; `2NDE1` → `2`), else the code without its trailing number
/// (`TG2` → `TG`).
pub fn level_of(class: &str) -> String {
    match class.chars().next() {
        Some(c) if c.is_ascii_digit() => c.to_string(),
        _ => {
            let trimmed = class.trim_end_matches(|c: char| c.is_ascii_digit());
            if trimmed.is_empty() {
                class.to_owned()
            } else {
                trimmed.to_owned()
            }
        }
    }
}

/// How a level is said: `6` → « 6e », `2` → « 2de », `1` → « 1re ».
pub fn level_label(level: &str) -> String {
    match level {
        "1" => "1re".into(),
        "2" => "2de".into(),
        l if l.chars().all(|c| c.is_ascii_digit()) => format!("{l}e"),
        l => l.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_of_collège_and_lycée_classes() {
        assert_eq!(level_of("6A"), "6");
        assert_eq!(level_of("6EME2"), "6");
        assert_eq!(level_of("2NDE1"), "2");
        assert_eq!(level_of("TG2"), "TG");
        assert_eq!(level_label("1"), "1re");
        assert_eq!(level_label("2"), "2de");
        assert_eq!(level_label("4"), "4e");
    }
}

//! The user's config file: theme, colour depth and key bindings.
//! `$XDG_CONFIG_HOME/arm64-demo/config.toml`, or the file given with `--config`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::app::keymap::{Command, Key, Keymap};
use crate::deck::{DeckError, ThemeName};
use crate::ui::theme::ColorDepth;

/// Colour depth: detected, or forced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ColorChoice {
    #[default]
    Auto,
    Truecolor,
    #[serde(rename = "256")]
    #[value(name = "256")]
    Ansi256,
}

impl ColorChoice {
    pub fn depth(self) -> ColorDepth {
        match self {
            ColorChoice::Auto => ColorDepth::detect(),
            ColorChoice::Truecolor => ColorDepth::TrueColor,
            ColorChoice::Ansi256 => ColorDepth::Ansi256,
        }
    }
}

/// The settings a config file can change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    pub theme: Option<ThemeName>,
    pub color: ColorChoice,
    pub keymap: Keymap,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    theme: Option<ThemeName>,
    #[serde(default)]
    color: ColorChoice,
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, Spanned<KeyList>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum KeyList {
    One(String),
    Many(Vec<String>),
}

/// The default config path.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("arm64-demo").join("config.toml"))
}

/// Loads the config: an explicit path must exist; the default path may be absent.
pub fn load(explicit: Option<&Path>) -> Result<Config, DeckError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => match default_path() {
            Some(p) if p.exists() => p,
            _ => return Ok(Config::default()),
        },
    };
    let name = path.display().to_string();
    let text = std::fs::read_to_string(&path)
        .map_err(|e| DeckError::new(&name, 1, 1, format!("cannot read the config file: {e}")))?;
    parse(&name, &text)
}

/// Parses config text.
pub fn parse(name: &str, text: &str) -> Result<Config, DeckError> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| crate::deck::toml_error(name, text, 1, &e))?;
    let index = crate::deck::LineIndex::new(text);
    let at = |span: std::ops::Range<usize>, msg: String| {
        let (line, col) = index.position(span.start);
        DeckError::new(name, line, col, msg)
    };
    let mut keymap = Keymap::default();
    for (command, keys) in &raw.keys {
        let cmd = Command::from_name(command.get_ref()).ok_or_else(|| {
            let names: Vec<&str> = Command::ALL.iter().map(|(_, n, _)| *n).collect();
            at(
                command.span(),
                format!("unknown command \"{}\"; expected one of {}", command.get_ref(), names.join(", ")),
            )
        })?;
        let list = match keys.get_ref() {
            KeyList::One(k) => vec![k.clone()],
            KeyList::Many(ks) => ks.clone(),
        };
        let parsed =
            list.iter().map(|k| Key::parse(k)).collect::<Result<Vec<_>, _>>().map_err(|m| at(keys.span(), m))?;
        if parsed.iter().any(|k| k.digit().is_some()) {
            return Err(at(keys.span(), "digits type slide numbers and cannot be bound".into()));
        }
        keymap.rebind(cmd, parsed);
    }
    Ok(Config { theme: raw.theme, color: raw.color, keymap })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_theme_colour_and_keys() {
        let c =
            parse("c.toml", "theme = \"light\"\ncolor = \"256\"\n[keys]\nnext = [\"x\", \"Right\"]\nblank = \"w\"\n")
                .unwrap();
        assert_eq!(c.theme, Some(ThemeName::Light));
        assert_eq!(c.color, ColorChoice::Ansi256);
        assert_eq!(c.keymap.command(Key::parse("x").unwrap()), Some(Command::Next));
        assert_eq!(c.keymap.command(Key::parse("Space").unwrap()), None);
        assert_eq!(c.keymap.command(Key::parse("w").unwrap()), Some(Command::Blank));
    }

    #[test]
    fn errors_are_located() {
        let e = parse("c.toml", "[keys]\nfly = \"x\"\n").unwrap_err();
        assert_eq!((e.line, e.col), (2, 1));
        assert!(e.message.contains("unknown command \"fly\""));
        let e = parse("c.toml", "[keys]\nnext = [\"Hyper-x\"]\n").unwrap_err();
        assert_eq!((e.line, e.col), (2, 8));
        let e = parse("c.toml", "theme = \"sepia\"\n").unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse("c.toml", "[keys]\nnext = \"5\"\n").unwrap_err();
        assert!(e.message.contains("digits"));
    }

    #[test]
    fn a_missing_explicit_file_is_an_error() {
        let e = load(Some(Path::new("/nonexistent/arm64-demo.toml"))).unwrap_err();
        assert!(e.to_string().starts_with("/nonexistent/arm64-demo.toml:1:1: cannot read"));
    }
}

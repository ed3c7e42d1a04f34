//! The two languages yimi speaks: Chinese (default) and English.
//!
//! Messages are built once in both languages where they arise ([`Text`]) and the report layer
//! picks one, so that no step before reporting needs to know which language the user asked for.

use std::fmt;

/// The language of the tool's own messages and of rule messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 tag, as used in HTML `lang` attributes and SARIF.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// A message in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Text {
    /// 中文.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Text {
    /// A message given in both languages.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// A message that reads the same in both languages (a name, a number, a path).
    pub fn same(text: impl Into<String>) -> Self {
        let text = text.into();
        Text {
            zh: text.clone(),
            en: text,
        }
    }

    /// The message in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

impl fmt::Display for Text {
    /// Displays the Chinese text; callers that know the language use [`Text::get`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.zh)
    }
}

/// `value` quoted as code in a message: between fences one backtick longer than the longest
/// run of backticks it holds, with a space inside each end when it starts or ends with one
/// (CommonMark), so that a submitted value with backticks neither ends its own quote early nor
/// shifts how the message's other quotes pair (`report::escape::pieces` reads it so).
pub fn code(value: &str) -> String {
    let longest = value.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let spaced = value.starts_with(' ') && value.ends_with(' ') && value.trim() != "";
    let pad = if value.starts_with('`') || value.ends_with('`') || spaced {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{value}{pad}{fence}")
}

/// Builds a [`Text`] from two format strings: `tr!("缺少 `{k}`", "missing `{k}`")`.
#[macro_export]
macro_rules! tr {
    ($zh:expr, $en:expr $(,)?) => {
        $crate::base::i18n::Text::new(format!($zh), format!($en))
    };
}

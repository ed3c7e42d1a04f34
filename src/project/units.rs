//! Units of measure and their dimensions, so that `m2` is never compared with `persons`.
//!
//! Every quantity is held in base units (m, s, persons, places, beds) together with its
//! [`Dim`]ension; a unit is a dimension and a scale. Rule literals (`3000 m2`, `4.5 places/kpop`),
//! model fields (`x-unit` in the schema) and arithmetic all go through here.

use std::fmt;

use crate::base::i18n::Text;

/// Exponents of the base dimensions: length, time, persons, places, beds.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Dim([i8; 5]);

const LENGTH: usize = 0;
const TIME: usize = 1;
const PERSONS: usize = 2;
const PLACES: usize = 3;
const BEDS: usize = 4;
const BASE_SYMBOLS: [&str; 5] = ["m", "s", "persons", "places", "beds"];

impl Dim {
    /// A pure number (counts, ratios, percentages).
    pub const NONE: Dim = Dim([0; 5]);

    const fn base(index: usize, power: i8) -> Dim {
        let mut exponents = [0; 5];
        exponents[index] = power;
        Dim(exponents)
    }

    /// The dimension of a product.
    #[must_use]
    fn times(self, other: Dim) -> Dim {
        let mut exponents = self.0;
        for (mine, theirs) in exponents.iter_mut().zip(other.0) {
            *mine = mine.saturating_add(theirs);
        }
        Dim(exponents)
    }

    /// The dimension of a quotient.
    #[must_use]
    fn per(self, other: Dim) -> Dim {
        let mut exponents = self.0;
        for (mine, theirs) in exponents.iter_mut().zip(other.0) {
            *mine = mine.saturating_sub(theirs);
        }
        Dim(exponents)
    }

    /// True for pure numbers.
    pub fn is_none(self) -> bool {
        self == Dim::NONE
    }

    /// What kind of quantity this is, for messages: 面积 / area.
    pub fn describe(self) -> Text {
        if let Some(unit) = UNITS
            .iter()
            .find(|unit| unit.dim == self && !unit.names.0.is_empty())
        {
            return Text::new(unit.names.0, unit.names.1);
        }
        Text::same(self.to_string())
    }
}

impl std::ops::Mul for Dim {
    type Output = Dim;

    fn mul(self, other: Dim) -> Dim {
        self.times(other)
    }
}

impl std::ops::Div for Dim {
    type Output = Dim;

    fn div(self, other: Dim) -> Dim {
        self.per(other)
    }
}

impl fmt::Display for Dim {
    /// Base symbols with exponents, such as `places/persons`; `1` for a pure number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut numerator = Vec::new();
        let mut denominator = Vec::new();
        for (symbol, &power) in BASE_SYMBOLS.iter().zip(&self.0) {
            let part = |p: i8| {
                if p == 1 {
                    (*symbol).to_owned()
                } else {
                    format!("{symbol}^{p}")
                }
            };
            match power {
                0 => {}
                p if p > 0 => numerator.push(part(p)),
                p => denominator.push(part(-p)),
            }
        }
        let top = if numerator.is_empty() {
            "1".to_owned()
        } else {
            numerator.join("·")
        };
        if denominator.is_empty() {
            f.write_str(&top)
        } else {
            write!(f, "{top}/{}", denominator.join("·"))
        }
    }
}

/// A named unit: a dimension and how many base units one of it is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Unit {
    /// How rules and the schema write it: `m2`, `places/kpop`.
    pub symbol: &'static str,
    /// How reports print it: `m²`, `个托位/千人`.
    pub display: (&'static str, &'static str),
    /// Its dimension.
    pub dim: Dim,
    /// Base units per one of this unit.
    pub scale: f64,
    /// The name of the quantity it measures (empty for secondary units of a dimension).
    names: (&'static str, &'static str),
}

const fn unit(
    symbol: &'static str,
    display: (&'static str, &'static str),
    dim: Dim,
    scale: f64,
    names: (&'static str, &'static str),
) -> Unit {
    Unit {
        symbol,
        display,
        dim,
        scale,
        names,
    }
}

const AREA: Dim = Dim::base(LENGTH, 2);
const SPEED: Dim = Dim([1, -1, 0, 0, 0]);
const PLACES_PER_PERSON: Dim = Dim([0, 0, -1, 1, 0]);
const BEDS_PER_PERSON: Dim = Dim([0, 0, -1, 0, 1]);

/// Every unit a rule or a model field may use. The first unit of a dimension is the one results
/// of arithmetic are printed in.
pub const UNITS: &[Unit] = &[
    unit(
        "m",
        ("米", "m"),
        Dim::base(LENGTH, 1),
        1.0,
        ("长度", "length"),
    ),
    unit("km", ("公里", "km"), Dim::base(LENGTH, 1), 1000.0, ("", "")),
    unit("m2", ("平方米", "m²"), AREA, 1.0, ("面积", "area")),
    unit("ha", ("公顷", "ha"), AREA, 10_000.0, ("", "")),
    unit("km2", ("平方公里", "km²"), AREA, 1_000_000.0, ("", "")),
    unit(
        "d",
        ("天", "days"),
        Dim::base(TIME, 1),
        86_400.0,
        ("时长", "duration"),
    ),
    unit("h", ("小时", "h"), Dim::base(TIME, 1), 3600.0, ("", "")),
    unit("min", ("分钟", "min"), Dim::base(TIME, 1), 60.0, ("", "")),
    unit(
        "km/h",
        ("公里/小时", "km/h"),
        SPEED,
        1000.0 / 3600.0,
        ("速度", "speed"),
    ),
    unit(
        "persons",
        ("人", "persons"),
        Dim::base(PERSONS, 1),
        1.0,
        ("人数", "number of persons"),
    ),
    unit(
        "places",
        ("个", "places"),
        Dim::base(PLACES, 1),
        1.0,
        ("位数", "number of places"),
    ),
    unit(
        "beds",
        ("张", "beds"),
        Dim::base(BEDS, 1),
        1.0,
        ("床位数", "number of beds"),
    ),
    unit("%", ("%", "%"), Dim::NONE, 0.01, ("", "")),
    unit(
        "places/kpop",
        ("个/千人", "places per 1000 people"),
        PLACES_PER_PERSON,
        0.001,
        ("每千人位数", "places per 1000 people"),
    ),
    unit(
        "beds/kpop",
        ("张/千人", "beds per 1000 people"),
        BEDS_PER_PERSON,
        0.001,
        ("每千人床位数", "beds per 1000 people"),
    ),
    unit(
        "persons/kpop",
        ("人/千人", "per 1000 people"),
        Dim::NONE,
        0.001,
        ("", ""),
    ),
    unit(
        "kpop",
        ("千人", "thousand people"),
        Dim::base(PERSONS, 1),
        1000.0,
        ("", ""),
    ),
];

/// The unit written `symbol`, if there is one.
pub fn lookup(symbol: &str) -> Option<&'static Unit> {
    UNITS.iter().find(|unit| unit.symbol == symbol)
}

/// The dimension and scale of a unit symbol: a named unit, or `a/b` of two named units.
pub fn parse(symbol: &str) -> Option<(Dim, f64)> {
    if let Some(unit) = lookup(symbol) {
        return Some((unit.dim, unit.scale));
    }
    let (top, bottom) = symbol.split_once('/')?;
    let (top, bottom) = (lookup(top)?, lookup(bottom)?);
    Some((top.dim / bottom.dim, top.scale / bottom.scale))
}

/// Symbols of all units, for "did you mean".
pub fn symbols() -> impl Iterator<Item = &'static str> {
    UNITS.iter().map(|unit| unit.symbol)
}

/// The unit results of dimension `dim` are printed in, if the dimension has a named unit.
pub fn display_unit(dim: Dim) -> Option<&'static Unit> {
    if dim.is_none() {
        return None;
    }
    UNITS.iter().find(|unit| unit.dim == dim)
}

/// Whether `written`, a value of a field in `unit`, looks like a share written as a fraction of
/// one (0.85 where the field takes per cent, 85). 0.85 per cent is possible, so this is for a
/// warning, never an error: above 0 and at most 1 per cent, a share is rarer than the slip.
pub fn looks_like_a_fraction(unit: &Unit, written: f64) -> bool {
    unit.symbol == "%" && written > 0.0 && written <= 1.0
}

/// Formats a number the way a person would write it: no trailing zeros, at most two decimals.
pub fn format_number(value: f64) -> String {
    if !value.is_finite() {
        return if value.is_nan() {
            "?".into()
        } else if value > 0.0 {
            "∞".into()
        } else {
            "-∞".into()
        };
    }
    let rounded = (value * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        format!("{rounded:.0}")
    } else {
        let text = format!("{rounded:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Formats a quantity held in base units, in `unit` when given (the unit of the field it came
/// from) or else the dimension's display unit.
pub fn format_quantity(base_value: f64, dim: Dim, unit: Option<&Unit>, chinese: bool) -> String {
    let unit = unit
        .filter(|unit| unit.dim == dim)
        .or_else(|| display_unit(dim));
    match unit {
        Some(unit) => {
            let number = format_number(base_value / unit.scale);
            let symbol = if chinese {
                unit.display.0
            } else {
                unit.display.1
            };
            if symbol == "%" {
                format!("{number}%")
            } else {
                format!("{number} {symbol}")
            }
        }
        None if dim.is_none() => format_number(base_value),
        None => format!("{} {dim}", format_number(base_value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_of_one_dimension_convert() {
        let ha = lookup("ha").unwrap();
        let m2 = lookup("m2").unwrap();
        assert_eq!(ha.dim, m2.dim);
        assert_eq!(
            format_quantity(1.5 * ha.scale, ha.dim, Some(m2), false),
            "15000 m²"
        );
        assert_ne!(
            lookup("persons").unwrap().dim,
            lookup("places").unwrap().dim
        );
    }

    #[test]
    fn ratio_times_population_is_places() {
        let ratio = lookup("places/kpop").unwrap();
        let persons = lookup("persons").unwrap();
        let places = lookup("places").unwrap();
        assert_eq!(ratio.dim * persons.dim, places.dim);
        let needed = 4.5 * ratio.scale * 12_000.0;
        assert!((needed - 54.0).abs() < 1e-9);
    }

    #[test]
    fn compound_units_are_quotients() {
        assert_eq!(parse("km/h"), Some((SPEED, 1000.0 / 3600.0)));
        let (dim, scale) = parse("m2/kpop").unwrap();
        assert_eq!(dim, AREA / Dim::base(PERSONS, 1));
        assert!((scale - 0.001).abs() < 1e-12);
        assert_eq!(parse("m2/apples"), None);
    }

    #[test]
    fn numbers_print_without_noise() {
        assert_eq!(format_number(85000.0), "85000");
        assert_eq!(format_number(4.5), "4.5");
        assert_eq!(format_number(1.0 / 3.0), "0.33");
        assert_eq!(format_quantity(0.6, Dim::NONE, lookup("%"), true), "60%");
        assert_eq!(
            (Dim::base(PLACES, 1) / Dim::base(PERSONS, 1)).to_string(),
            "places/persons"
        );
    }

    #[test]
    fn only_a_share_at_most_one_per_cent_looks_like_a_fraction() {
        let per_cent = lookup("%").unwrap();
        assert!(looks_like_a_fraction(per_cent, 0.85));
        assert!(looks_like_a_fraction(per_cent, 1.0));
        assert!(!looks_like_a_fraction(per_cent, 0.0));
        assert!(!looks_like_a_fraction(per_cent, 1.5));
        assert!(!looks_like_a_fraction(per_cent, 85.0));
        assert!(!looks_like_a_fraction(lookup("h").unwrap(), 0.5));
    }

    #[test]
    fn every_dimension_with_a_name_has_a_display_unit_first() {
        for unit in UNITS {
            if !unit.names.0.is_empty() {
                assert_eq!(display_unit(unit.dim).map(|u| u.symbol), Some(unit.symbol));
            }
        }
    }
}

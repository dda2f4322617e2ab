//! Domain types shared by the browser bundle (wasm) and the server.
//!
//! Raw strings become these types at the edge (`parse`), so the rest of the code
//! never handles an unchecked unit code or level. This crate has no Leptos or
//! database dependency: it compiles for wasm32 and its tests build in seconds.

/// The conversions every string newtype here has: read as `&str`, printed
/// as itself, and (de)serialised through its `parse` so that JSON from a
/// client is checked like any other input.
macro_rules! string_newtype {
    ($name:ident, $error:ty) => {
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $error;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

pub mod calendar;
pub mod campaign;
pub mod id_number;
pub mod member;
pub mod roster;
pub mod stats;
pub mod units;
pub mod watchwords;
pub mod working_days;

pub use calendar::{CivilDate, Quarter};
pub use id_number::{Gender, IdNumber, IdNumberError};
pub use member::{MemberFieldError, MemberName, Password, Phone, SmsCode};
pub use roster::{check_roster, RosterEntry, RosterRow, RosterRowError};

pub use units::{
    search_units, Unit, UnitCode, UnitFieldError, UnitLevel, UnitMatch, UnitName, UnitNode, UnitRow, UnitTree,
    UnitTreeError, MAX_QUERY_CHARS,
};

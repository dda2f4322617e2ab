//! A server function's arguments, read from the argument struct `#[server]`
//! generates for it.
//!
//! The macro gives that struct only the derives named in `input_derive` and
//! forwards no other attribute, so a `#[cfg_attr(feature = "ssr",
//! derive(ToSchema))]` cannot reach it, and a derive named there would be
//! compiled into the browser bundle too. What the struct does have on both
//! sides is its `Deserialize`: this module drives it with a deserializer that
//! answers every request with a placeholder and writes down what was asked
//! for — the field names, in order, and each field's type. That is exactly
//! what the server accepts, because it is the same `Deserialize` the request
//! body or query goes through.
//!
//! Arguments are plain values (strings, integers, lists and maps of them,
//! `Option` for what may be left out), as forms post them; anything this
//! tracer cannot follow (untagged enums, `deserialize_any`) makes it fail
//! loudly rather than describe something else.

use serde::de::value::Error;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::PartialSchema;

/// One argument: its name on the wire, whether it must be sent, its schema.
pub struct Argument {
    pub name: &'static str,
    pub required: bool,
    pub schema: RefOr<Schema>,
}

/// The arguments `T` deserializes, in declaration order.
pub fn arguments<T: DeserializeOwned>() -> Result<Vec<Argument>, Error> {
    let mut traced = Traced::default();
    T::deserialize(Tracer(&mut traced))?;
    traced.fields.ok_or_else(|| de::Error::custom("the arguments are not a struct"))
}

/// What one value's `Deserialize` asked for.
#[derive(Default)]
struct Traced {
    schema: Option<RefOr<Schema>>,
    /// `Option<T>`: the form may leave it out.
    optional: bool,
    /// A struct's fields (only the argument struct itself has them).
    fields: Option<Vec<Argument>>,
}

impl Traced {
    fn schema(self) -> Result<RefOr<Schema>, Error> {
        self.schema.ok_or_else(|| de::Error::custom("a value asked for no type"))
    }
}

struct Tracer<'a>(&'a mut Traced);

impl Tracer<'_> {
    fn record(&mut self, schema: RefOr<Schema>) {
        self.0.schema = Some(schema);
    }
}

/// Each primitive: record its schema (utoipa's own, as the answer types get),
/// then hand the visitor a placeholder of that type.
macro_rules! primitives {
    ($($method:ident => $ty:ty, $visit:ident($value:expr);)*) => {$(
        fn $method<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
            self.record(<$ty as PartialSchema>::schema());
            visitor.$visit($value)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Tracer<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Error> {
        Err(de::Error::custom("a self-describing value (untagged enum, flatten, any) cannot be traced"))
    }

    primitives! {
        deserialize_bool => bool, visit_bool(false);
        deserialize_i8 => i8, visit_i8(0);
        deserialize_i16 => i16, visit_i16(0);
        deserialize_i32 => i32, visit_i32(0);
        deserialize_i64 => i64, visit_i64(0);
        deserialize_u8 => u8, visit_u8(0);
        deserialize_u16 => u16, visit_u16(0);
        deserialize_u32 => u32, visit_u32(0);
        deserialize_u64 => u64, visit_u64(0);
        deserialize_f32 => f32, visit_f32(0.0);
        deserialize_f64 => f64, visit_f64(0.0);
        deserialize_char => char, visit_char('0');
        deserialize_str => String, visit_str("");
        deserialize_string => String, visit_string(String::new());
        deserialize_identifier => String, visit_str("");
    }

    fn deserialize_bytes<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        self.record(<Vec<u8> as PartialSchema>::schema());
        visitor.visit_bytes(&[])
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.0.optional = true;
        visitor.visit_some(Tracer(self.0))
    }

    fn deserialize_unit<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        self.record(<() as PartialSchema>::schema());
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// A list: its items' type, traced from one item.
    fn deserialize_seq<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        let mut item = Traced::default();
        let value = visitor.visit_seq(OneItem(Some(&mut item)))?;
        self.record(ArrayBuilder::new().items(item.schema()?).into());
        Ok(value)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Error> {
        Err(de::Error::custom("tuple arguments are not traced"))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _: usize, _: V) -> Result<V::Value, Error> {
        Err(de::Error::custom("tuple arguments are not traced"))
    }

    /// A map (`scores[key]=value` in a form): its values' type, from one entry.
    fn deserialize_map<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        let (mut key, mut value) = (Traced::default(), Traced::default());
        let answer = visitor.visit_map(OneEntry { key: &mut key, value: Some(&mut value) })?;
        let schema = ObjectBuilder::new()
            .schema_type(Type::Object)
            .property_names(Some(key.schema()?))
            .additional_properties(Some(value.schema()?))
            .build();
        self.record(Schema::Object(schema).into());
        Ok(answer)
    }

    /// The argument struct: every field, in order.
    fn deserialize_struct<V: Visitor<'de>>(
        mut self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let mut traced = Vec::with_capacity(fields.len());
        let value = visitor.visit_map(Fields { names: fields.iter(), traced: &mut traced })?;
        let mut object = ObjectBuilder::new().schema_type(Type::Object);
        for argument in &traced {
            object = object.property(argument.name, argument.schema.clone());
            if argument.required {
                object = object.required(argument.name);
            }
        }
        self.record(object.into());
        self.0.fields = Some(traced);
        Ok(value)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Error> {
        Err(de::Error::custom("enum arguments are not traced"))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// A list of exactly one traced item.
struct OneItem<'a>(Option<&'a mut Traced>);

impl<'de> SeqAccess<'de> for OneItem<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        match self.0.take() {
            Some(item) => seed.deserialize(Tracer(item)).map(Some),
            None => Ok(None),
        }
    }
}

/// A map of exactly one traced entry.
struct OneEntry<'a> {
    key: &'a mut Traced,
    value: Option<&'a mut Traced>,
}

impl<'de> MapAccess<'de> for OneEntry<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        if self.value.is_none() {
            return Ok(None);
        }
        seed.deserialize(Tracer(self.key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self.value.take().ok_or_else(|| de::Error::custom("a value without its key"))?;
        seed.deserialize(Tracer(value))
    }
}

/// A struct's fields by name, each value traced.
struct Fields<'a> {
    names: std::slice::Iter<'static, &'static str>,
    traced: &'a mut Vec<Argument>,
}

impl<'de> MapAccess<'de> for Fields<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.names.clone().next() {
            Some(name) => seed.deserialize(IntoDeserializer::<Error>::into_deserializer(*name)).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let name = self.names.next().ok_or_else(|| de::Error::custom("a value without its field"))?;
        let mut traced = Traced::default();
        let value = seed.deserialize(Tracer(&mut traced))?;
        let required = !traced.optional;
        self.traced.push(Argument { name, required, schema: traced.schema()? });
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[allow(dead_code)] // only its Deserialize is read
    struct Story {
        id: Option<i64>,
        title: String,
        assets: Option<Vec<i64>>,
        scores: std::collections::BTreeMap<String, String>,
    }

    #[test]
    fn a_struct_s_fields_come_out_in_order_with_what_may_be_left_out() {
        let arguments = arguments::<Story>().unwrap();

        let names: Vec<_> = arguments.iter().map(|a| (a.name, a.required)).collect();
        assert_eq!(names, [("id", false), ("title", true), ("assets", false), ("scores", true)]);
        let json = serde_json::to_value(&arguments[2].schema).unwrap();
        assert_eq!(json["type"], "array", "{json}");
        assert_eq!(json["items"]["type"], "integer", "{json}");
        let json = serde_json::to_value(&arguments[3].schema).unwrap();
        assert_eq!(json["additionalProperties"]["type"], "string", "{json}");
    }

    #[test]
    fn an_untagged_value_is_refused_rather_than_guessed() {
        #[derive(Deserialize)]
        #[serde(untagged)]
        #[allow(dead_code)]
        enum Either {
            Number(i64),
            Text(String),
        }
        #[derive(Deserialize)]
        #[allow(dead_code)]
        struct Arguments {
            value: Either,
        }

        assert!(arguments::<Arguments>().is_err());
    }
}

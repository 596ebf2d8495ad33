//! Schemas as Terraform receives them: blocks of typed attributes and nested blocks.
//! Types are `value::Type`s, so the type JSON Terraform parses is always generated, never typed
//! by hand (a malformed type string crashes Terraform).

use std::collections::BTreeMap;

use super::value::Type;

/// The schema of a provider, resource or data source, with its state version.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    pub version: i64,
    pub block: Block,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Block {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
    /// Markdown.
    pub description: String,
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub ty: Type,
    /// Markdown.
    pub description: String,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub write_only: bool,
    pub deprecated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    Single,
    List,
    Set,
    Map,
    Group,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NestedBlock {
    pub type_name: String,
    pub block: Block,
    pub nesting: Nesting,
    pub min_items: i64,
    pub max_items: i64,
}

impl Block {
    /// The object type Terraform encodes this block's values with (attributes and nested blocks).
    pub fn implied_type(&self) -> Type {
        let mut attrs = BTreeMap::new();
        for a in &self.attributes {
            attrs.insert(a.name.clone(), a.ty.clone());
        }
        for b in &self.blocks {
            let inner = b.block.implied_type();
            let ty = match b.nesting {
                Nesting::Single | Nesting::Group => inner,
                Nesting::List if b.block.contains_dynamic() => Type::Dynamic,
                Nesting::List => Type::List(Box::new(inner)),
                Nesting::Set => Type::Set(Box::new(inner)),
                Nesting::Map if b.block.contains_dynamic() => Type::Dynamic,
                Nesting::Map => Type::Map(Box::new(inner)),
            };
            attrs.insert(b.type_name.clone(), ty);
        }
        Type::Object(attrs)
    }

    fn contains_dynamic(&self) -> bool {
        self.attributes.iter().any(|a| type_contains_dynamic(&a.ty))
            || self.blocks.iter().any(|b| b.block.contains_dynamic())
    }

    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    pub fn nested(&self, name: &str) -> Option<&NestedBlock> {
        self.blocks.iter().find(|b| b.type_name == name)
    }

    /// The block's write-only attributes.
    pub fn write_only_attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.attributes.iter().filter(|a| a.write_only)
    }
}

fn type_contains_dynamic(ty: &Type) -> bool {
    match ty {
        Type::Dynamic => true,
        Type::List(t) | Type::Set(t) | Type::Map(t) => type_contains_dynamic(t),
        Type::Object(m) => m.values().any(type_contains_dynamic),
        Type::Tuple(v) => v.iter().any(type_contains_dynamic),
        Type::String | Type::Number | Type::Bool => false,
    }
}

impl Attribute {
    fn new(name: &str, ty: Type) -> Self {
        Attribute {
            name: name.to_string(),
            ty,
            description: String::new(),
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            write_only: false,
            deprecated: false,
        }
    }
    pub fn required(name: &str, ty: Type) -> Self {
        Attribute {
            required: true,
            ..Self::new(name, ty)
        }
    }
    pub fn optional(name: &str, ty: Type) -> Self {
        Attribute {
            optional: true,
            ..Self::new(name, ty)
        }
    }
    pub fn computed(name: &str, ty: Type) -> Self {
        Attribute {
            computed: true,
            ..Self::new(name, ty)
        }
    }
    pub fn optional_computed(name: &str, ty: Type) -> Self {
        Attribute {
            optional: true,
            computed: true,
            ..Self::new(name, ty)
        }
    }
    pub fn describe(mut self, markdown: &str) -> Self {
        self.description = markdown.to_string();
        self
    }
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    pub fn write_only(mut self) -> Self {
        self.write_only = true;
        self
    }
}

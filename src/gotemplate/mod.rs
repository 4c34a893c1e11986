//! Go's `text/template`, as OpenBao runs it: a lexer, parser and executor that follow Go's
//! sources closely enough to give the same output and the same error texts and positions
//! (`template: NAME:LINE:COL: executing "NAME" at <NODE>: ...`), over JSON data decoded as
//! Go's `encoding/json` decodes into `interface{}` (numbers are float64).
//!
//! [`openbao`] is OpenBao's `sdk/helper/template` on top: the template named `template`, its
//! helper functions, and its `missing template` / `unable to parse template` /
//! `unable to apply template` wrapping.

mod exec;
pub mod fmt;
mod funcs;
mod lex;
mod parse;
mod value;

pub use exec::MissingKey;
pub use value::{Go, Value};

use funcs::Func;

/// A function table: the functions a template may call, Go's builtins included.
pub type Funcs = fn(&str) -> Option<&'static Func>;

/// Go's builtins only.
pub fn builtin_funcs(name: &str) -> Option<&'static Func> {
    funcs::builtin(name)
}

/// A parsed template (with any `{{define}}`d ones).
pub struct Template {
    name: String,
    text: String,
    trees: parse::TreeSet,
    funcs: Funcs,
}

impl Template {
    /// `template.New(name).Funcs(...).Parse(text)`; the error is Go's text.
    pub fn parse(name: &str, text: &str, funcs: Funcs) -> Result<Template, String> {
        let has = |n: &str| funcs(n).is_some();
        let trees = parse::parse(name, text, &has)?;
        Ok(Template {
            name: name.to_string(),
            text: text.to_string(),
            trees,
            funcs,
        })
    }

    /// `Execute` with `data` as the dot; the error is Go's text.
    pub fn execute(&self, data: &serde_json::Value, missing: MissingKey) -> Result<String, String> {
        self.execute_value(Value::from_json(data), missing)
    }

    pub fn execute_value(&self, data: Value, missing: MissingKey) -> Result<String, String> {
        let Some(root) = self.trees.get(&self.name) else {
            return Err(format!(
                "template: {}: {} is an incomplete or empty template",
                self.name,
                fmt::go_quote(&self.name)
            ));
        };
        let funcs = self.funcs;
        let lookup = move |n: &str| funcs(n);
        let mut state = exec::State::new(
            &self.name,
            &self.text,
            &self.trees,
            &lookup,
            missing,
            data.clone(),
        );
        match state.walk_list(&data, root) {
            Ok(()) => Ok(state.out),
            Err(exec::Flow::Err(e)) => Err(e),
            // The parser refuses break/continue outside range.
            Err(_) => Ok(state.out),
        }
    }
}

/// OpenBao's `sdk/helper/template` (`StringTemplate`).
pub mod openbao {
    use super::{funcs, MissingKey, Template};

    /// `NewTemplate(Template(raw), ...)`: parse errors wrapped as OpenBao wraps them.
    pub fn new_template(raw: &str) -> Result<Template, String> {
        if raw.is_empty() {
            return Err("missing template".into());
        }
        Template::parse("template", raw, funcs::openbao)
            .map_err(|e| format!("unable to parse template: {e}"))
    }

    /// `Generate(data)`.
    pub fn generate(
        t: &Template,
        data: &serde_json::Value,
        missing: MissingKey,
    ) -> Result<String, String> {
        t.execute(data, missing)
            .map_err(|e| format!("unable to apply template: {e}"))
    }
}

#[cfg(test)]
mod tests;

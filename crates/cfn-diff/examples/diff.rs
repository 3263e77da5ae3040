//! Diffs two template files: `cargo run -p cfn-diff --example diff -- OLD NEW [text|markdown|json] [--graph]`.

use cfn_diff::{diff, render, Format, Graph, RenderOptions, Template};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [old, new, rest @ ..] = args.as_slice() else {
        eprintln!("usage: diff OLD NEW [text|markdown|json] [--graph]");
        return ExitCode::from(2);
    };
    let read = |path: &str| -> Result<Template, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        Template::parse(path, &text).map_err(|e| e.to_string())
    };
    let (old_t, new_t) = match (read(old), read(new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let format = match rest.iter().find(|a| !a.starts_with("--")).map(|f| f.parse::<Format>()) {
        None => Format::Text,
        Some(Ok(f)) => f,
        Some(Err(e)) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let d = diff(&old_t, &new_t);
    let mermaid = rest.iter().any(|a| a == "--graph").then(|| Graph::of_diff(&old_t, &new_t, &d).mermaid());
    print!("{}", render(&d, format, &RenderOptions { color: false, mermaid }));
    ExitCode::from(d.exit_status(&[]) as u8)
}

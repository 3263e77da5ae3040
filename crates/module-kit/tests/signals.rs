//! SIGINT, SIGTERM and SIGHUP while a template is being written leave no
//! temporary file behind, and end the process as the signal would.
//!
//! The test runs itself again as a child that stops halfway through a write
//! (the temporary file created and partly written) until it is signalled.
//! Its own `main`, since a signal must reach a process of its own.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const CHILD: &str = "MODULE_KIT_SIGNALS_CHILD";

fn child(dir: &Path, persist_first: bool) -> ! {
    let target = dir.join("template.json");
    let mut tmp = module_kit::cli::TempFile::create_in(dir).expect("temporary file");
    tmp.write_all(b"{\"half\": ").expect("write");
    if persist_first {
        tmp.persist(&target).expect("persist");
    }
    println!("ready");
    std::io::stdout().flush().expect("flush");
    std::thread::sleep(Duration::from_secs(60));
    eprintln!("the signal did not end the child");
    std::process::exit(3)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn interrupt(signal: (&str, i32), persist_first: bool) -> Result<(), String> {
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().unwrap();
    let mut c = Command::new(std::env::current_exe().unwrap())
        .env(CHILD, dir.path())
        .env("PERSIST_FIRST", if persist_first { "1" } else { "0" })
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(c.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let before = entries(dir.path());
    let sent = line.trim() == "ready"
        && Command::new("kill")
            .arg(format!("-{}", signal.0))
            .arg(c.id().to_string())
            .status()
            .unwrap()
            .success();
    if !sent {
        let _ = c.kill();
    }
    let status = c.wait().unwrap();
    if !sent {
        return Err(format!("the child was not signalled; it said {line:?}"));
    }
    let after = entries(dir.path());
    if status.signal() != Some(signal.1) {
        return Err(format!("the child ended with {status:?}, not {}", signal.0));
    }
    if persist_first {
        if after != ["template.json"] {
            return Err(format!("after the rename the template must stay, found {after:?}"));
        }
    } else {
        if !(before.len() == 1 && before[0].starts_with(".synth-") && before[0].ends_with(".tmp")) {
            return Err(format!("the child had not made its temporary file: {before:?}"));
        }
        if !after.is_empty() {
            return Err(format!("{} left {after:?} behind", signal.0));
        }
    }
    Ok(())
}

fn main() {
    if let Some(dir) = std::env::var_os(CHILD) {
        child(Path::new(&dir), std::env::var("PERSIST_FIRST").as_deref() == Ok("1"));
    }
    let mut failed = 0;
    let cases = [("INT", 2), ("TERM", 15), ("HUP", 1)];
    for persist_first in [false, true] {
        for signal in cases {
            let name = format!(
                "SIG{} {}",
                signal.0,
                if persist_first { "after the rename" } else { "during the write" }
            );
            match interrupt(signal, persist_first) {
                Ok(()) => println!("{name}: ok"),
                Err(e) => {
                    failed += 1;
                    println!("{name}: FAILED: {e}");
                }
            }
        }
    }
    println!("{} passed, {failed} failed", 2 * cases.len() - failed);
    if failed > 0 {
        std::process::exit(1);
    }
}

mod common;

use common::h1b;

#[test]
fn bundled_rules_compile_and_every_example_holds() {
    let program = h1b();
    if let Err(failures) = program.check_examples() {
        let messages: Vec<String> = failures.iter().map(ToString::to_string).collect();
        panic!("{}", messages.join("\n"));
    }
    let bytes = program.emit_wasm();
    guide_rules::validate(&bytes).unwrap();
    println!("h1b module: {} bytes", bytes.len());
}

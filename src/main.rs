fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let src = zhibiao::source::SourceFile::read(std::path::Path::new(&path)).expect("read");
    match zhibiao::syntax::parse(&src) {
        Ok(ast) => {
            let schema = std::sync::Arc::new(zhibiao::schema::Schema::load(std::path::Path::new("policies/schema.yaml")).expect("schema"));
            let c = zhibiao::check::check(&src, &ast, schema);
            for d in c.diagnostics {
                eprintln!("{:?}", miette::Report::new(d));
            }
            println!("ok: {}", c.policy.is_some());
        }
        Err(e) => eprintln!("{:?}", miette::Report::new(*e)),
    }
}

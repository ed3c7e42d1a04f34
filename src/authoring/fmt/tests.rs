use super::*;

fn formatted(text: &str) -> String {
    let file = SourceFile::new("t.yimi".to_owned(), text.to_owned());
    match format(&file) {
        Ok(text) => text,
        Err(errors) => panic!("{errors:?}"),
    }
}

#[test]
fn builtin_probe() {
    for entry in std::fs::read_dir("rules").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yimi") {
            let text = std::fs::read_to_string(&path).unwrap();
            let file = SourceFile::new("t.yimi".to_owned(), text.clone());
            let tree = parse_concrete(&file).unwrap();
            let out = Printer { text: &text, tree: &tree }.file();
            std::fs::write(format!("/tmp/fmtprobe-{}", path.file_name().unwrap().to_string_lossy()), &out).unwrap();
            let again = SourceFile::new("u.yimi".to_owned(), out.clone());
            match parse_concrete(&again) {
                Err(e) => panic!("{}: {:?}", path.display(), e.iter().map(|d| (d.message.en.clone(), d.labels.first().map(|l| l.span.clone()))).collect::<Vec<_>>()),
                Ok(t2) => {
                    let a = tokens(&text, &tree.items);
                    let b = tokens(&out, &t2.items);
                    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
                        assert_eq!(x, y, "{} token {i}", path.display());
                    }
                    assert_eq!(a.len(), b.len());
                    assert_eq!(comment_texts(&text, &tree.comments), comment_texts(&out, &t2.comments));
                }
            }
            assert_eq!(formatted(&out), out, "{}", path.display());
        }
    }
}

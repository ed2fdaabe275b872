//! Every error the user can see. Each says what went wrong, where (file:line:column when there is
//! a place), and how to fix it. All of them exit with code 2.

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Error, Diagnostic)]
pub enum Error {
    /// A contract file that cannot be read as a contract: bad syntax, a bad `$ref`, too deep, ...
    #[error("{file}:{line}:{column}: {message}")]
    #[diagnostic(code(contractdiff::input))]
    Input {
        file: String,
        line: u32,
        column: u32,
        message: String,
        #[help]
        hint: Option<String>,
        /// Behind a pointer: the source text makes the variant large, and errors travel through every
        /// `Result` of the loaders.
        #[source_code]
        src: Option<std::sync::Arc<NamedSource<String>>>,
        #[label("here")]
        span: Option<SourceSpan>,
    },

    /// git could not give us what we asked for: unknown revision, shallow clone, not a repository.
    #[error("{message}")]
    #[diagnostic(code(contractdiff::git))]
    Git {
        message: String,
        #[help]
        hint: Option<String>,
    },

    /// The configuration file is invalid.
    #[error("{message}")]
    #[diagnostic(code(contractdiff::config))]
    Config {
        message: String,
        #[help]
        hint: Option<String>,
    },

    /// Bad command-line use that clap cannot catch (a missing path, an unknown rule).
    #[error("{message}")]
    #[diagnostic(code(contractdiff::usage))]
    Usage {
        message: String,
        #[help]
        hint: Option<String>,
    },

    #[error("{path}: {source}")]
    #[diagnostic(code(contractdiff::io))]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// An input error at a known place, with the source text so the report can show the line.
    pub fn input_at(
        file: &str,
        text: &str,
        offset: usize,
        line: u32,
        column: u32,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Self {
        let offset = offset.min(text.len());
        Error::Input {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
            hint,
            src: Some(std::sync::Arc::new(NamedSource::new(file, text.to_string()))),
            span: Some(SourceSpan::from((offset, 0))),
        }
    }

    /// An input error with a place but no source text to show (binary files, huge files).
    pub fn input(file: &str, line: u32, column: u32, message: impl Into<String>, hint: Option<String>) -> Self {
        Error::Input { file: file.to_string(), line, column, message: message.into(), hint, src: None, span: None }
    }

    pub fn git(message: impl Into<String>, hint: impl Into<Option<String>>) -> Self {
        Error::Git { message: message.into(), hint: hint.into() }
    }

    pub fn config(message: impl Into<String>, hint: impl Into<Option<String>>) -> Self {
        Error::Config { message: message.into(), hint: hint.into() }
    }

    pub fn usage(message: impl Into<String>, hint: impl Into<Option<String>>) -> Self {
        Error::Usage { message: message.into(), hint: hint.into() }
    }
}

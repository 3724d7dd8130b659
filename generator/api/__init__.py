"""The API, language-neutral: type trees and the facts of operations, read from the spec views."""

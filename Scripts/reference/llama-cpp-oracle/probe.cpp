// probe: tiny llama.cpp oracle.
// usage: probe MODEL FA(on|off|auto) N_GEN TOKENS(comma-separated ids) [DUMP_FILE]
//   Decodes the prompt in ONE llama_decode (logits for the last token only), prints
//   top-5 (id, logit %.4f) of the last position, then greedily decodes up to N_GEN tokens
//   one at a time (stops after an end-of-generation token) and prints their ids.
//   env PROBE_LOGITS_FOR=id,id,...: also print the first-step logits of these ids (line "logits_for:").
//   If DUMP_FILE is given, every tensor computed during the PROMPT decode is written to it:
//     header line: "name ne0 ne1 ne2 ne3 type op tokdim"
//     value line : values of the last-token slice (index n_tokens-1 along dim tokdim), %.9g,
//                  space separated, iterated ne0 fastest; tokdim=-1 means no dim equals n_tokens
//                  and ALL values are printed. Only F32/F16 values are printed (others: empty line).
#include "llama.h"
#include "ggml.h"
#include "ggml-backend.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

struct dump_state {
    FILE * f = nullptr;
    bool enabled = false;
    int64_t n_tokens = 0;
    std::vector<uint8_t> buf;
};

static bool dump_cb(struct ggml_tensor * t, bool ask, void * ud) {
    auto * st = (dump_state *) ud;
    if (!st->enabled || !st->f) return ask ? false : true;
    if (ask) return true;

    int tokdim = -1;
    for (int d = 3; d >= 1; --d) {
        if (t->ne[d] == st->n_tokens) { tokdim = d; break; }
    }
    fprintf(st->f, "%s %lld %lld %lld %lld %s %s %d\n", t->name,
            (long long) t->ne[0], (long long) t->ne[1], (long long) t->ne[2], (long long) t->ne[3],
            ggml_type_name(t->type), ggml_op_desc(t), tokdim);

    const uint8_t * data;
    if (ggml_backend_buffer_is_host(t->buffer)) {
        data = (const uint8_t *) t->data;
    } else {
        st->buf.resize(ggml_nbytes(t));
        ggml_backend_tensor_get(t, st->buf.data(), 0, st->buf.size());
        data = st->buf.data();
    }
    if (t->type == GGML_TYPE_F32 || t->type == GGML_TYPE_F16) {
        int64_t lo[4] = {0, 0, 0, 0};
        int64_t hi[4] = {t->ne[0], t->ne[1], t->ne[2], t->ne[3]};
        if (tokdim >= 0) { lo[tokdim] = st->n_tokens - 1; hi[tokdim] = st->n_tokens; }
        bool first = true;
        for (int64_t i3 = lo[3]; i3 < hi[3]; ++i3)
        for (int64_t i2 = lo[2]; i2 < hi[2]; ++i2)
        for (int64_t i1 = lo[1]; i1 < hi[1]; ++i1)
        for (int64_t i0 = lo[0]; i0 < hi[0]; ++i0) {
            size_t off = i0 * t->nb[0] + i1 * t->nb[1] + i2 * t->nb[2] + i3 * t->nb[3];
            float v = t->type == GGML_TYPE_F32 ? *(const float *) (data + off)
                                               : ggml_fp16_to_fp32(*(const ggml_fp16_t *) (data + off));
            fprintf(st->f, first ? "%.9g" : " %.9g", v);
            first = false;
        }
    }
    fputc('\n', st->f);
    return true;
}

static void print_top5(const float * logits, int n_vocab) {
    const char * ids = getenv("PROBE_LOGITS_FOR"); // optional: comma-separated ids whose logits to print
    if (ids) {
        std::string s = ids;
        printf("logits_for:");
        for (char * p = strtok(&s[0], ","); p; p = strtok(nullptr, ",")) { int id = atoi(p); printf(" %d:%.4f", id, logits[id]); }
        printf("\n");
    }
    std::vector<int> idx(n_vocab);
    for (int i = 0; i < n_vocab; ++i) idx[i] = i;
    std::partial_sort(idx.begin(), idx.begin() + 5, idx.end(),
                      [&](int a, int b) { return logits[a] > logits[b] || (logits[a] == logits[b] && a < b); });
    printf("top5:");
    for (int k = 0; k < 5; ++k) printf(" %d:%.4f", idx[k], logits[idx[k]]);
    printf("\n");
}

static int argmax(const float * logits, int n_vocab) {
    int best = 0;
    for (int i = 1; i < n_vocab; ++i) if (logits[i] > logits[best]) best = i;
    return best;
}

int main(int argc, char ** argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: %s MODEL on|off|auto N_GEN id,id,... [DUMP_FILE]\n", argv[0]);
        return 1;
    }
    const char * model_path = argv[1];
    std::string fa = argv[2];
    int n_gen = atoi(argv[3]);
    std::vector<llama_token> prompt;
    for (char * p = strtok(argv[4], ","); p; p = strtok(nullptr, ",")) prompt.push_back(atoi(p));
    const char * dump_path = argc > 5 ? argv[5] : nullptr;

    llama_backend_init();
    llama_log_set([](ggml_log_level lvl, const char * txt, void *) {
        if (lvl >= GGML_LOG_LEVEL_WARN) fputs(txt, stderr);
    }, nullptr);

    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    llama_model * model = llama_model_load_from_file(model_path, mp);
    if (!model) { fprintf(stderr, "failed to load model\n"); return 1; }
    const llama_vocab * vocab = llama_model_get_vocab(model);
    const int n_vocab = llama_vocab_n_tokens(vocab);

    dump_state st;
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = 1024;
    cp.n_batch = 512;
    cp.n_ubatch = 512;
    cp.n_threads = 2;
    cp.n_threads_batch = 2;
    cp.no_perf = true;
    if (fa == "on") cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_ENABLED;
    else if (fa == "off") cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
    else cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_AUTO;
    if (dump_path) {
        st.f = fopen(dump_path, "w");
        if (!st.f) { fprintf(stderr, "cannot open %s\n", dump_path); return 1; }
        cp.cb_eval = dump_cb;
        cp.cb_eval_user_data = &st;
    }
    llama_context * ctx = llama_init_from_model(model, cp);
    if (!ctx) { fprintf(stderr, "failed to create context\n"); return 1; }

    // prompt: one batch, logits only for last token
    llama_batch batch = llama_batch_init((int) prompt.size(), 0, 1);
    batch.n_tokens = (int) prompt.size();
    for (int i = 0; i < batch.n_tokens; ++i) {
        batch.token[i] = prompt[i];
        batch.pos[i] = i;
        batch.n_seq_id[i] = 1;
        batch.seq_id[i][0] = 0;
        batch.logits[i] = (i == batch.n_tokens - 1);
    }
    st.n_tokens = batch.n_tokens;
    st.enabled = dump_path != nullptr;
    if (llama_decode(ctx, batch) != 0) { fprintf(stderr, "decode failed\n"); return 1; }
    st.enabled = false;
    if (st.f) { fclose(st.f); st.f = nullptr; }

    const float * logits = llama_get_logits_ith(ctx, -1);
    print_top5(logits, n_vocab);

    printf("greedy:");
    int pos = (int) prompt.size();
    llama_token tok = argmax(logits, n_vocab);
    for (int k = 0; k < n_gen; ++k) {
        printf(" %d", tok);
        fflush(stdout);
        if (llama_vocab_is_eog(vocab, tok) || k == n_gen - 1) break;
        llama_batch b1 = llama_batch_init(1, 0, 1);
        b1.n_tokens = 1;
        b1.token[0] = tok; b1.pos[0] = pos++; b1.n_seq_id[0] = 1; b1.seq_id[0][0] = 0; b1.logits[0] = 1;
        if (llama_decode(ctx, b1) != 0) { fprintf(stderr, "decode failed\n"); return 1; }
        llama_batch_free(b1);
        tok = argmax(llama_get_logits_ith(ctx, -1), n_vocab);
    }
    printf("\n");

    llama_batch_free(batch);
    llama_free(ctx);
    llama_model_free(model);
    llama_backend_free();
    return 0;
}

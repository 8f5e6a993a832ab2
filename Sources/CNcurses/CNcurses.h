/*
 * CNcurses: the C shim between Swift and ncursesw.
 *
 * ncurses exposes much of its API as macros (COLOR_PAIR, A_BOLD, getmaxyx, mouse masks) and
 * mutable globals (stdscr, COLS, LINES, COLORS). Swift 6 strict concurrency rejects the globals
 * and cannot import function-like macros, so each is wrapped here as a static inline function.
 * Only NcursesTerminal imports this module.
 */
#ifndef PARLEY_CNCURSES_H
#define PARLEY_CNCURSES_H

/* The wide-character API of ncursesw. Deliberately no _XOPEN_SOURCE/_DEFAULT_SOURCE: those change
 * glibc's own declarations (fd_set's fields among them) and then this module and SwiftGlibc
 * disagree about the same types, which fails clean builds at random. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

/* ---- globals ---- */

static inline WINDOW *parley_stdscr(void) { return stdscr; }
static inline int parley_lines(void) { return LINES; }
static inline int parley_cols(void) { return COLS; }
static inline int parley_colors(void) { return COLORS; }
static inline int parley_color_pairs(void) { return COLOR_PAIRS; }
static inline int parley_ok(void) { return OK; }
static inline int parley_err(void) { return ERR; }

/* ---- screen setup (stdin/stdout are globals Swift 6 will not touch) ---- */

static inline SCREEN *parley_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline int parley_stdin_is_tty(void) { return isatty(STDIN_FILENO); }
static inline int parley_stdout_is_tty(void) { return isatty(STDOUT_FILENO); }

/* Restores the terminal if the process exits without calling shutdown (registered with atexit). */
static inline void parley_emergency_restore(void) {
    if (!isendwin()) {
        static const char off[] = "\033[?2004l";
        fflush(stdout);
        (void)write(STDOUT_FILENO, off, sizeof(off) - 1);
        endwin();
    }
}
static inline void parley_register_emergency_restore(void) { atexit(parley_emergency_restore); }

/* ---- locale (LC_ALL is a macro; setlocale must run before initscr) ---- */

static inline void parley_setlocale_from_environment(void) { setlocale(LC_ALL, ""); }

/* ---- window geometry ---- */

static inline void parley_getmaxyx(WINDOW *win, int *rows, int *cols) {
    int y = 0, x = 0;
    getmaxyx(win, y, x);
    *rows = y;
    *cols = x;
}

/* ---- attributes and colours ---- */

static inline attr_t parley_a_normal(void) { return A_NORMAL; }
static inline attr_t parley_a_bold(void) { return A_BOLD; }
static inline attr_t parley_a_dim(void) { return A_DIM; }
static inline attr_t parley_a_italic(void) { return A_ITALIC; }
static inline attr_t parley_a_underline(void) { return A_UNDERLINE; }
static inline attr_t parley_a_reverse(void) { return A_REVERSE; }

/* ---- keys ---- */

static inline int parley_key_f(int n) { return KEY_F(n); }
static inline int parley_key_code_yes(void) { return KEY_CODE_YES; }

/* ---- mouse ---- */

static inline mmask_t parley_wheel_mask(void) {
#if NCURSES_MOUSE_VERSION > 1
    return BUTTON4_PRESSED | BUTTON5_PRESSED;
#else
    return BUTTON4_PRESSED;
#endif
}
static inline int parley_is_wheel_up(mmask_t state) { return (state & BUTTON4_PRESSED) != 0; }
static inline int parley_is_wheel_down(mmask_t state) {
#if NCURSES_MOUSE_VERSION > 1
    return (state & BUTTON5_PRESSED) != 0;
#else
    return 0;
#endif
}

/* ---- wide characters ---- */

/* The number of wide characters a cchar_t holds (one spacing plus combining characters). */
static inline int parley_ccharw_max(void) { return CCHARW_MAX; }

/* The C library's width of one code point: what ncurses and most terminals assume. */
/* glibc declares wcwidth only under _XOPEN_SOURCE (see above); the prototype is POSIX's. */
extern int wcwidth(wchar_t c);
static inline int parley_wcwidth(wchar_t c) { return wcwidth(c); }

/* Set a cchar_t from up to CCHARW_MAX code points and draw it at (row, col) of stdscr. */
static inline int parley_put_cell(int row, int col, const wchar_t *chars, int count,
                                  attr_t attrs, short pair) {
    wchar_t buffer[CCHARW_MAX + 1];
    int n = count < CCHARW_MAX ? count : CCHARW_MAX;
    for (int i = 0; i < n; i++) buffer[i] = chars[i];
    buffer[n] = L'\0';
    cchar_t cell;
    if (setcchar(&cell, buffer, attrs, pair, NULL) != OK) {
        /* Keep only the base character when ncurses refuses the cluster. */
        buffer[1] = L'\0';
        if (setcchar(&cell, buffer, attrs, pair, NULL) != OK) return ERR;
    }
    return mvwadd_wch(stdscr, row, col, &cell);
}

/* ---- raw output (escape sequences ncurses knows nothing about) ---- */

/* Returns 1 when every byte was written, 0 when a write failed (EINTR is retried). */
static inline int parley_write_stdout(const char *bytes, size_t count) {
    fflush(stdout);
    size_t done = 0;
    while (done < count) {
        ssize_t n = write(STDOUT_FILENO, bytes + done, count - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return 0;
        done += (size_t)n;
    }
    return 1;
}

#endif /* PARLEY_CNCURSES_H */

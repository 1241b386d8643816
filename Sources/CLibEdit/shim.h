// The part of libedit (BSD editline) that crmq uses, through <histedit.h>, never
// <readline/readline.h>: GNU readline's headers are installed here too and declare
// different, incompatible types for the same names.
//
// Swift cannot call C's variadic functions (el_set, el_get, history), so each use crmq
// makes of them has a small wrapper here with fixed arguments.
#ifndef CRMQ_LIBEDIT_SHIM_H
#define CRMQ_LIBEDIT_SHIM_H

#include <stdio.h>
#include <histedit.h>

typedef char *(*crmq_prompt_fn)(EditLine *);

/// An editor on the standard streams (which Swift 6 cannot name: they are mutable C globals).
static inline EditLine *crmq_el_init(const char *program) {
    return el_init(program, stdin, stdout, stderr);
}

/// Writes text through the editor's own output stream, so it lands in order with what it drew.
static inline void crmq_el_print(const char *text) {
    fputs(text, stdout);
    fflush(stdout);
}
typedef unsigned char (*crmq_editor_fn)(EditLine *, int);

static inline int crmq_el_set_prompt(EditLine *el, crmq_prompt_fn fn) {
    return el_set(el, EL_PROMPT, fn);
}

static inline int crmq_el_set_editor(EditLine *el, const char *mode) {
    return el_set(el, EL_EDITOR, mode);
}

static inline int crmq_el_set_history(EditLine *el, History *h) {
    return el_set(el, EL_HIST, history, h);
}

static inline int crmq_el_set_signal(EditLine *el, int on) {
    return el_set(el, EL_SIGNAL, on);
}

/// Registers a named editor function that keys can be bound to.
static inline int crmq_el_add_function(EditLine *el, const char *name, const char *help, crmq_editor_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}

/// `bind KEY FUNCTION`, as in ~/.editrc.
static inline int crmq_el_bind(EditLine *el, const char *key, const char *function) {
    return el_set(el, EL_BIND, key, function, (const char *)NULL);
}

/// Changes one terminal flag in one mode, as `setty -d -isig` would.
static inline int crmq_el_setty(EditLine *el, const char *mode, const char *flag) {
    return el_set(el, EL_SETTY, mode, flag, (const char *)NULL);
}

/// The terminal in the editor's mode (1) or back in the ordinary mode (0).
static inline int crmq_el_prepare_terminal(EditLine *el, int editing) {
    return el_set(el, EL_PREP_TERM, editing);
}

static inline int crmq_el_set_clientdata(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}

static inline void *crmq_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}

static inline int crmq_history_set_size(History *h, int size) {
    HistEvent ev;
    return history(h, &ev, H_SETSIZE, size);
}

static inline int crmq_history_set_unique(History *h, int unique) {
    HistEvent ev;
    return history(h, &ev, H_SETUNIQUE, unique);
}

static inline int crmq_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}

static inline int crmq_history_load(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_LOAD, path);
}

static inline int crmq_history_save(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_SAVE, path);
}

#endif

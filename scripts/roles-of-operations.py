#!/usr/bin/env python3
"""Prints `name: roles,` lines for every @Query/@Mutation in src/**/*.resolver.ts, from the decorators
right above each (method-level, else class-level). A helper for keeping test/security/authorization-matrix.ts
up to date; the table stays the reviewed specification."""
import glob, re, sys
for path in sorted(glob.glob('src/**/*.resolver.ts', recursive=True)):
    lines = open(path, encoding='utf8').read().split('\n')
    class_roles = None
    pending = None
    is_op = False
    for i, line in enumerate(lines):
        s = line.strip()
        m = re.match(r"@(Roles)\((.*)\)$", s) or re.match(r"@(AnyRole|Public)\(\)$", s)
        if m:
            roles = 'PUBLIC' if m.group(1) == 'Public' else 'ANY' if m.group(1) == 'AnyRole' else '[' + m.group(2) + ']'
            # class-level when the next non-decorator line declares a class
            j = i + 1
            while j < len(lines) and lines[j].strip().startswith('@'):
                j += 1
            if j < len(lines) and 'class ' in lines[j]:
                class_roles = roles
            else:
                pending = roles
            continue
        if s.startswith('export class'):
            if 'class_roles_set' not in locals():
                pass
        if re.match(r"@(Query|Mutation)\(", s):
            is_op = True
            continue
        m = re.match(r"(?:async\s+)?([a-zA-Z0-9_]+)\(", s)
        if m and is_op:
            name = m.group(1)
            mm = re.search(r"name:\s*'([a-zA-Z0-9_]+)'", lines[i - 1]) if i else None
            print(f"  {name}: {pending or class_roles or 'DENY'},  // {path}")
            pending = None
            is_op = False
        elif m:
            pending = None

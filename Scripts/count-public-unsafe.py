#!/usr/bin/env python3
"""Counts public (or open) declarations under a folder whose signature mentions `Unsafe` (issue #12:
Inference exposes an engine, not its pointers). Usage: Scripts/count-public-unsafe.py Sources/Inference [-v]."""
import re,sys,os
root=sys.argv[1]; show=len(sys.argv)>2
n=0
for dp,_,fs in os.walk(root):
  for f in fs:
    if not f.endswith('.swift'): continue
    p=os.path.join(dp,f); L=open(p).read().split('\n')
    i=0
    while i<len(L):
      s=L[i]
      if re.match(r'\s*(@\w+(\([^)]*\))?\s+)*(public|open)\b',s) and not s.strip().startswith('//'):
        txt=s; depth=s.count('(')-s.count(')'); j=i
        while (depth>0 or (txt.rstrip().endswith((',','->','(')) )) and j+1<len(L):
          j+=1; txt+=L[j]; depth+=L[j].count('(')-L[j].count(')')
        # strip body after '{' and trailing comments
        decl=txt.split('{')[0].split('//')[0]
        if 'Unsafe' in decl:
          n+=1
          if show: print(p,i+1,decl.strip()[:150])
      i+=1
print(n)

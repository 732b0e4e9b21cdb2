"""Fit the veracity model's constants (claimledger.ledger) on Emergent; research script, not part of the package.

    .venv/bin/python scripts/fit_veracity.py   # needs pandas; reads ../shared/datasets/emergent

Each outlet counts as one origin with its strongest headline stance; a three-class logistic model over
log-counts of supporting, denying and neutral origins is cross-validated by claim (10 folds) and its
Brier score, log loss and reliability printed; the chosen constants are copied into ledger.py by hand.
"""

# ruff: noqa
import numpy as np, pandas as pd
d=pd.read_csv(str(__import__('pathlib').Path(__file__).resolve().parents[1].parent / 'shared/datasets/emergent/emergent-train.csv'))
RANK={'against':3,'for':1,'observing':0}
rows=[]
for cid,g in d.groupby('claimId'):
    per={}
    for src,gg in g.groupby('source'):
        per[src]=max(gg.articleHeadlineStance, key=lambda s: RANK[s])
    s=sum(v=='for' for v in per.values()); a=sum(v=='against' for v in per.values()); o=sum(v=='observing' for v in per.values())
    rows.append((cid,s,a,o,g.claimTruth.iloc[0]))
C=['true','false','unknown']
y=np.array([C.index(r[4]) for r in rows]); S=np.array([[r[1],r[2],r[3]] for r in rows],float)
def feats(S,kind):
    s,a,o=S[:,0],S[:,1],S[:,2]
    cols=[np.ones(len(S)),np.log1p(s),np.log1p(a)]
    if kind>=1: cols.append(np.log1p(o))
    return np.stack(cols,1)
def fit(X,y,l2=1.0,it=5000,lr=0.1):
    W=np.zeros((X.shape[1],3)); Y=np.eye(3)[y]
    for _ in range(it):
        Z=X@W; Z-=Z.max(1,keepdims=True); P=np.exp(Z); P/=P.sum(1,keepdims=True)
        G=X.T@(P-Y)/len(X); R=l2*W/len(X); R[0]=0; W-=lr*(G+R)
    return W
def pred(X,W):
    Z=X@W; Z-=Z.max(1,keepdims=True); P=np.exp(Z); return P/P.sum(1,keepdims=True)
rng=np.random.default_rng(0); folds=rng.permutation(len(y))%10
for kind in (0,1):
  for l2 in (0.1,1.0,5.0):
    X=feats(S,kind); P=np.zeros((len(y),3))
    for f in range(10):
        W=fit(X[folds!=f],y[folds!=f],l2); P[folds==f]=pred(X[folds==f],W)
    Y=np.eye(3)[y]; brier=((P-Y)**2).sum(1).mean(); ll=-np.log(P[np.arange(len(y)),y]).mean()
    print(kind,l2,'brier',round(brier,4),'logloss',round(ll,4),'acc',round((P.argmax(1)==y).mean(),3))
prior=np.bincount(y,minlength=3)/len(y); Y=np.eye(3)[y]
print('prior brier',((prior-Y)**2).sum(1).mean(), prior)
# final
import sys
kind=int(sys.argv[1]) if len(sys.argv)>1 else 0
X=feats(S,kind); P=np.zeros((len(y),3))
for f in range(10):
    W=fit(X[folds!=f],y[folds!=f],1.0); P[folds==f]=pred(X[folds==f],W)
# reliability: bins of predicted prob per class (one-vs-rest pooled)
for k,name in enumerate(C):
    p=P[:,k]; t=(y==k)
    bins=np.clip((p*5).astype(int),0,4)
    out=[]
    for b in range(5):
        m=bins==b
        if m.any(): out.append(f'[{b/5:.1f},{(b+1)/5:.1f}) n={m.sum()} pred={p[m].mean():.2f} obs={t[m].mean():.2f}')
    print(name,'; '.join(out))
W=fit(X,y,1.0); print('W',np.round(W,4).tolist())

def npv(rate, values):
    return sum(v / (1.0 + rate) ** i for i, v in enumerate(values))


def fv(rate, nper, pmt_, pv, when=0):
    if rate == 0:
        return -(pv + pmt_ * nper)
    f = (1 + rate) ** nper
    return -(pv * f + pmt_ * (1 + rate * when) / rate * (f - 1))


def pmt(rate, nper, pv, fv_=0, when=0):
    if rate == 0:
        return -(fv_ + pv) / nper
    f = (1 + rate) ** nper
    return -(fv_ + pv * f) * rate / ((1 + rate * when) * (f - 1))


def irr(values, guess=0.1, tol=1e-10, maxiter=100):
    r = guess
    for _ in range(maxiter):
        f = sum(v / (1 + r) ** i for i, v in enumerate(values))
        df = sum(-i * v / (1 + r) ** (i + 1) for i, v in enumerate(values))
        if df == 0:
            break
        nr = r - f / df
        if abs(nr - r) < tol:
            return nr
        r = nr
    return r

using LanScatter.Core.Planning;

namespace LanScatter.Core.Simulation;

/// <summary>
/// Discrete-event simulation of a swarm driven by the real <see cref="SwarmPlanner"/>. Each host
/// has its own link (upload and download capacity); transfers share the links max-min fairly
/// (<see cref="MaxMinRates"/>), so capacity a flow cannot use (its other end is the bottleneck)
/// goes to the host's other flows, as TCP would. Deterministic for a seed.
/// </summary>
internal sealed class SwarmSimulator
{
    private enum Kind { FlowEnd, Join, Leave, Return, Tick }

    private readonly SimulationOptions _o;
    private readonly SwarmPlanner _planner;
    private readonly List<SimHost> _hosts = new();
    private readonly Dictionary<int, SimHost> _hostByNode = new();
    private readonly Dictionary<long, SimFlow> _flows = new();
    private readonly EventQueue<(Kind Kind, object? Item, int Version)> _events = new();
    private readonly Random _random;
    private double _now;
    private long _transfers, _failed, _aborted, _fromMaster, _fromPeers;
    private int _completedPeers;
    private int _stamp;
    private readonly MaxMinRates _maxMin = new();
    private readonly List<SimHost> _changedUp = new(), _changedDown = new(), _linkHosts = new();
    private int _changeRound = 1;
    private readonly List<SimFlow> _flowList = new();
    private double[] _up = Array.Empty<double>(), _down = Array.Empty<double>(), _flowRate = Array.Empty<double>();
    private int[] _flowSource = Array.Empty<int>(), _flowTarget = Array.Empty<int>();

    public SwarmSimulator(SimulationOptions options)
    {
        if (options.Peers < 1) throw new ArgumentOutOfRangeException(nameof(options), "At least one peer is needed.");
        if (options.Chunks < 1) throw new ArgumentOutOfRangeException(nameof(options), "At least one chunk is needed.");
        _o = options;
        _random = new Random(options.Seed);
        // Flows here are whole chunks at a water-filled rate; a relay (bounded by its upstream) is
        // not modelled, so the simulated planner does not relay. Relays are measured on bench/swarm.sh.
        _planner = new SwarmPlanner(Enumerable.Repeat(options.ChunkBytes, options.Chunks).ToArray(), options.Planner with { Seed = options.Seed, RelayChunksInFlight = false });
    }

    /// <summary>Ideal time for a full-rate peer: total bytes over one link.</summary>
    public double IdealSeconds => _o.TotalBytes / _o.BytesPerSecond;

    /// <summary>Runs to the end. <paramref name="observe"/> gets a snapshot every <paramref name="observeEvery"/> simulated seconds.</summary>
    public SimulationResult Run(Action<SimulationSnapshot>? observe = null, double observeEvery = 0, CancellationToken cancellationToken = default)
    {
        BuildHosts();
        double tick = Math.Max(0.05, IdealSeconds / 200);
        double limit = IdealSeconds * 50 + 60;
        Schedule(tick, Kind.Tick, null);
        double nextObservation = 0;

        while (_events.Count > 0 && !AllDone())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (time, ev) = _events.Dequeue();
            if (time > limit) break;
            _now = time;
            switch (ev.Kind)
            {
                case Kind.FlowEnd:
                    var flow = (SimFlow)ev.Item!;
                    if (flow.Done || flow.Version != ev.Version) continue;
                    EndFlow(flow);
                    break;
                case Kind.Join:
                case Kind.Return:
                    Bring((SimHost)ev.Item!);
                    break;
                case Kind.Leave:
                    TakeDown((SimHost)ev.Item!);
                    break;
                case Kind.Tick:
                    // As a receiver does: the bytes it has of each transfer.
                    foreach (var f in _flows.Values)
                    {
                        if (f.Rate <= 0) continue;
                        Advance(f);
                        _planner.TransferProgress(f.Order.Id, Time(_now), (long)(f.Bytes - f.Remaining));
                    }
                    Schedule(_now + tick, Kind.Tick, null);
                    break;
            }
            Apply(_planner.Plan(Time(_now)));
            UpdateRates();
            if (observe is not null && _now >= nextObservation)
            {
                observe(Snapshot());
                nextObservation = _now + observeEvery;
            }
        }
        observe?.Invoke(Snapshot());
        return Result();
    }

    private void BuildHosts()
    {
        double rate = _o.BytesPerSecond;
        var master = new SimHost(0, true, rate, 0, false);
        _hosts.Add(master);
        var order = Enumerable.Range(1, _o.Peers).OrderBy(_ => _random.Next()).ToArray();
        int slow = (int)Math.Round(_o.Peers * _o.SlowFraction);
        int churn = (int)Math.Round(_o.Peers * _o.ChurnFraction);
        var slowSet = new HashSet<int>(order.Take(slow));
        var churnSet = Enumerable.Reverse(order).Take(churn).ToList();
        for (int i = 1; i <= _o.Peers; i++)
        {
            double r = slowSet.Contains(i) ? rate / _o.SlowDivisor : rate;
            _hosts.Add(new SimHost(i, false, r, r, slowSet.Contains(i)));
        }

        Bring(master);
        for (int k = 0; k < churnSet.Count; k++)
        {
            var host = _hosts[churnSet[k]];
            if (k % 2 == 0)
            {
                Schedule(_random.NextDouble() * IdealSeconds * 0.5, Kind.Join, host);
            }
            else
            {
                Schedule(0, Kind.Join, host);
                double leave = IdealSeconds * (0.1 + 0.5 * _random.NextDouble());
                Schedule(leave, Kind.Leave, host);
                Schedule(leave + IdealSeconds * 0.1, Kind.Return, host);
            }
        }
        foreach (var h in _hosts.Skip(1).Where(h => !churnSet.Contains(h.Id))) Schedule(0, Kind.Join, h);
    }

    private void Bring(SimHost host)
    {
        IEnumerable<int>? has = host.IsMaster ? Enumerable.Range(0, _o.Chunks)
            : host.Node >= 0 ? Enumerable.Range(0, _o.Chunks).Where(c => _planner.Has(host.Node, c)).ToList() : null;
        host.Node = host.IsMaster
            ? _planner.AddNode(true, _o.MasterUploads, 0, has)
            : _planner.AddNode(false, _o.PeerUploads, _o.PeerDownloads, has);
        _hostByNode[host.Node] = host;
        if (double.IsNaN(host.JoinedAt)) host.JoinedAt = _now;
        else host.Downtime += _now - host.OfflineSince;
        host.Online = true;
    }

    private void TakeDown(SimHost host)
    {
        if (!host.Online || !double.IsNaN(host.CompletedAt)) return; // a finished peer stays to serve
        foreach (var order in _planner.RemoveNode(host.Node)) DropFlow(_flows[order.Id]);
        host.Online = false;
        host.OfflineSince = _now;
    }

    private void Apply(PlanResult plan)
    {
        foreach (var abort in plan.Abort)
        {
            _aborted++;
            DropFlow(_flows[abort.Transfer.Id]);
        }
        foreach (var order in plan.Start)
        {
            var source = _hostByNode[order.Source];
            var target = _hostByNode[order.Target];
            var flow = new SimFlow(order, source, target, _o.ChunkBytes, _now + _o.StartLatency, _random.NextDouble() < _o.FailFraction);
            _flows[order.Id] = flow;
            source.Uploads.Add(flow);
            target.Downloads.Add(flow);
            _transfers++;
            Changed(source, target);
        }
    }

    private void EndFlow(SimFlow flow)
    {
        Advance(flow);
        bool failed = flow.FailsHalfway;
        long moved = (long)(flow.Bytes - flow.Remaining);
        RemoveFlow(flow);
        if (flow.Source.IsMaster) _fromMaster += moved; else _fromPeers += moved;
        var seconds = Math.Max(1e-9, _now - flow.StartedAt);
        if (failed)
        {
            _failed++;
            _planner.TransferFailed(flow.Order.Id, Time(_now));
        }
        else
        {
            _planner.TransferSucceeded(flow.Order.Id, (long)flow.Bytes, seconds, Time(_now));
            var target = flow.Target;
            if (double.IsNaN(target.CompletedAt) && _planner.IsComplete(target.Node))
            {
                target.CompletedAt = _now;
                _completedPeers++;
            }
        }
    }

    private void DropFlow(SimFlow flow)
    {
        Advance(flow);
        long moved = (long)(flow.Bytes - flow.Remaining);
        if (flow.Source.IsMaster) _fromMaster += moved; else _fromPeers += moved;
        RemoveFlow(flow);
    }

    private void RemoveFlow(SimFlow flow)
    {
        flow.Done = true;
        _flows.Remove(flow.Order.Id);
        flow.Source.Uploads.Remove(flow);
        flow.Target.Downloads.Remove(flow);
        Changed(flow.Source, flow.Target);
    }

    // Rates are max-min fair (MaxMinRates), solved after each event around the links whose flows
    // changed: the flows on those links and on every link at their other ends, with what flows
    // further out take off the outer links held as it is. An earlier estimate (equal shares at a
    // flow's far end) underrated hosts whose flows differ in speed, such as a source serving fast
    // receivers and a slow one. Solving the whole swarm at every event cost too much for a thousand peers.
    private void UpdateRates()
    {
        // A flow that gets less than before leaves room on its links for their other flows, which
        // may lie outside what was solved: its links are solved again, a few rounds at most.
        for (int round = 0; round < MaxRateRounds && (_changedUp.Count > 0 || _changedDown.Count > 0); round++) SolveAroundChanges();
        _changedUp.Clear();
        _changedDown.Clear();
        _changeRound++;
    }

    private const int MaxRateRounds = 4;

    private void SolveAroundChanges()
    {
        int stamp = ++_stamp;
        _flowList.Clear();
        foreach (var h in _changedUp)
        {
            foreach (var f in h.Uploads)
            {
                Include(f, stamp);
                foreach (var g in f.Target.Downloads) Include(g, stamp);
            }
        }
        foreach (var h in _changedDown)
        {
            foreach (var f in h.Downloads)
            {
                Include(f, stamp);
                foreach (var g in f.Source.Uploads) Include(g, stamp);
            }
        }
        _changedUp.Clear();
        _changedDown.Clear();
        _changeRound++;

        // Their hosts, numbered from 0, with what other flows leave of each link.
        _linkHosts.Clear();
        foreach (var f in _flowList)
        {
            Number(f.Source, stamp);
            Number(f.Target, stamp);
        }
        int hosts = _linkHosts.Count, flows = _flowList.Count;
        ScratchArray.Grow(ref _up, hosts);
        ScratchArray.Grow(ref _down, hosts);
        ScratchArray.Grow(ref _flowSource, flows);
        ScratchArray.Grow(ref _flowTarget, flows);
        ScratchArray.Grow(ref _flowRate, flows);
        for (int i = 0; i < hosts; i++)
        {
            var h = _linkHosts[i];
            double up = h.Up, down = h.Down;
            foreach (var f in h.Uploads) if (f.Mark != stamp) up -= f.Rate;
            foreach (var f in h.Downloads) if (f.Mark != stamp) down -= f.Rate;
            _up[i] = Math.Max(0, up);
            _down[i] = Math.Max(0, down);
        }
        for (int i = 0; i < flows; i++)
        {
            _flowSource[i] = _flowList[i].Source.Local;
            _flowTarget[i] = _flowList[i].Target.Local;
        }
        _maxMin.Compute(_up.AsSpan(0, hosts), _down.AsSpan(0, hosts), _flowSource.AsSpan(0, flows), _flowTarget.AsSpan(0, flows), _flowRate.AsSpan(0, flows));
        for (int i = 0; i < flows; i++)
        {
            var f = _flowList[i];
            if (_flowRate[i] < f.Rate * (1 - 1e-3)) Changed(f.Source, f.Target);
            SetRate(f, _flowRate[i]);
        }
    }

    // Adds a flow to those solved in this round, once.
    private void Include(SimFlow f, int stamp)
    {
        if (f.Mark == stamp) return;
        f.Mark = stamp;
        _flowList.Add(f);
    }

    private void Number(SimHost h, int stamp)
    {
        if (h.Mark == stamp) return;
        h.Mark = stamp;
        h.Local = _linkHosts.Count;
        _linkHosts.Add(h);
    }

    // A flow between these hosts started or ended: the source's uplink and the target's downlink changed.
    private void Changed(SimHost source, SimHost target)
    {
        if (source.UpChanged != _changeRound) { source.UpChanged = _changeRound; _changedUp.Add(source); }
        if (target.DownChanged != _changeRound) { target.DownChanged = _changeRound; _changedDown.Add(target); }
    }

    // An unchanged rate keeps its queued end event; only changes cost a new one.
    private void SetRate(SimFlow f, double rate)
    {
        bool isNew = f.Rate == 0 && f.Remaining == f.Bytes;
        if (!isNew && Math.Abs(rate - f.Rate) <= 1e-9 * rate) return;
        Advance(f);
        f.Rate = rate;
        f.Version++;
        double start = Math.Max(_now, f.StartedAt);
        double end = rate > 0 ? start + f.ToEnd / rate : double.PositiveInfinity;
        if (!double.IsInfinity(end)) _events.Enqueue(end, (Kind.FlowEnd, f, f.Version));
    }

    // Bring a flow's byte count up to now at its current rate.
    private void Advance(SimFlow f)
    {
        double from = Math.Max(f.LastUpdate, f.StartedAt);
        if (_now > from) f.Remaining = Math.Max(0, f.Remaining - f.Rate * (_now - from));
        f.LastUpdate = Math.Max(_now, f.LastUpdate);
    }

    private bool AllDone() => _completedPeers == _o.Peers;

    private void Schedule(double time, Kind kind, object? item) => _events.Enqueue(time, (kind, item, 0));

    private static TimeSpan Time(double seconds) => TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));

    private SimulationSnapshot Snapshot()
    {
        var views = _hosts.Select(h => new SimulatedHostView(
            h.IsMaster ? "master" : $"peer{h.Id:D2}",
            h.IsMaster,
            h.Online,
            h.Slow,
            h.Node < 0 ? new bool[_o.Chunks] : Enumerable.Range(0, _o.Chunks).Select(c => _planner.Has(h.Node, c)).ToArray(),
            h.Downloads.Count,
            h.Uploads.Count,
            h.Downloads.Sum(f => f.Rate))).ToList();
        return new SimulationSnapshot(_now, views);
    }

    private SimulationResult Result()
    {
        bool completed = AllDone();
        var efficiency = _hosts.Skip(1).Select(h =>
        {
            if (double.IsNaN(h.CompletedAt)) return 0.0;
            double ideal = _o.TotalBytes / h.Down;
            double actual = h.CompletedAt - h.JoinedAt - h.Downtime;
            return actual <= 0 ? 1.0 : Math.Min(1.0, ideal / actual);
        }).ToList();
        return new SimulationResult(completed, _now, IdealSeconds, efficiency, _transfers, _failed, _aborted, _fromMaster, _fromPeers);
    }
}

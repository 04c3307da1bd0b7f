# bench/plot.gp - comparison plots for bench/run-bench.sh: interdict
# versus the bare relay at one offered rate.
#
#   gnuplot -e "a='DIR_A'; b='DIR_B'; out='PREFIX'; label='10000/s'" bench/plot.gp
#
# DIR_A / DIR_B are interdict-loadgen --plot directories (interdict, relay);
# writes PREFIX-latency.png (latency by percentile, both) and
# PREFIX-throughput.png (verdicts per second over time, both).
set terminal png size 1000,560
set grid
set key top left

set output out.'-latency.png'
set title 'End-to-end latency by percentile at '.label
set xlabel 'percentile'
set ylabel 'latency (us)'
set logscale xy
set xtics ('50%%' 2, '90%%' 10, '99%%' 100, '99.9%%' 1000, '99.99%%' 10000)
plot a.'/percentiles.dat' u 2:3 w lp lw 2 t 'interdict', \
     b.'/percentiles.dat' u 2:3 w lp lw 2 t 'relay (no screening)'

unset logscale
set xtics autofreq
set output out.'-throughput.png'
set title 'Verdicts per second at '.label
set xlabel 'time (s)'
set ylabel 'messages/s'
plot a.'/timeline.dat' u 1:3 w lp t 'interdict', \
     b.'/timeline.dat' u 1:3 w lp t 'relay (no screening)', \
     a.'/timeline.dat' u 1:2 w l dt 2 t 'offered (interdict run)'

# shellcheck shell=sh
# t-bad-input.sh: suite "bad_input": bad command lines of run, exhaust,
# verify and the top level; each must exit 1 or 2 (t_bad) or 2 (t_bad2)
# with one line on stderr that names the bad argument.  (Refusals that must
# also leave a device as it was are in their area's suite.)  First boot
# only.

bad_input_needs_edu=1

bad_input_cases() {
	[ "$SUITE" = full ] || return
	# badarg_NAME for every t_bad/t_bad2 line of bad_input_run, in order
	sed -n '/^bad_input_run() {/,/^}/s/^[[:space:]]*t_bad2\{0,1\} \([^ ]*\) .*/badarg_\1/p' \
		"$GUEST_DIR/t-bad-input.sh"
}

bad_input_run() {
	[ "$SUITE" = full ] || return
	# the top level and run
	d=dmabench.0
	t_bad unknown_option --bogus run --device $d --test map_single --iterations 10 --bogus
	t_bad size_zero 0 run --device $d --test map_single --iterations 10 --size 0
	t_bad size_suffix 12Q run --device $d --test map_single --iterations 10 --size 12Q
	t_bad threads_zero threads run --device $d --test map_single --iterations 10 --threads 0
	t_bad dir sideways run --device $d --test map_single --iterations 10 --dir sideways
	t_bad node 99 run --device $d --test map_single --iterations 10 --node 99
	t_bad cpus 999 run --device $d --test map_single --iterations 10 --cpus 999
	t_bad test no_such_test run --device $d --iterations 10 --test no_such_test
	t_bad device 0000:7f:1f.7 run --device 0000:7f:1f.7 --test map_single --iterations 10
	t_bad subcommand frobnicate frobnicate
	# the timing options (issue 15)
	t_bad2 batch_zero batch run --device $d --test map_single --iterations 10 --batch 0
	t_bad2 batch_too_big 5000 run --device $d --test map_single --iterations 10 --batch 5000
	t_bad2 clock_unknown sundial run --device $d --test map_single --iterations 10 --clock sundial
	t_bad2 cache_unknown lukewarm run --device $d --test map_single --iterations 10 --cache lukewarm
	t_bad2 warmup_too_big warmup run --device $d --test map_single --iterations 10 --warmup 20000000
	t_bad2 cache_alloc cache run --device $d --test alloc --iterations 10 --cache cold
	# the DMA-API options
	e=$EDU1
	t_bad2 nents_zero nents run --device $e --test map_sg --iterations 10 --nents 0
	t_bad2 nents_too_many nents run --device $e --test map_sg --iterations 10 --nents 1025
	t_bad2 nents_word many run --device $e --test map_sg --iterations 10 --nents many
	t_bad2 nents_not_map_sg nents run --device $e --test map_single --iterations 10 --nents 4
	t_bad2 seg_size_zero seg-size run --device $e --test map_sg --iterations 10 --nents 4 --seg-size 0
	t_bad2 seg_size_total seg-size run --device $e --test map_sg --iterations 10 --nents 1024 --seg-size 1M
	t_bad2 size_below_nents nents run --device $e --test map_sg --iterations 10 --nents 128 --size 64
	t_bad2 layout diagonal run --device $e --test map_sg --iterations 10 --layout diagonal
	t_bad2 attrs_unknown NON_CACHED run --device $e --test alloc --iterations 10 --attrs NON_CACHED
	t_bad2 attrs_not_alloc attrs run --device $e --test map_single --iterations 10 --attrs WRITE_COMBINE
	t_bad2 attrs_empty attrs run --device $e --test alloc --iterations 10 --attrs ''
	t_bad2 domain_empty domain run --device $e --test map_single --iterations 10 --domain ''
	t_bad2 bounce_value bounce run --device dmabench.0 --test map_single --iterations 10 --bounce=yes
	t_bad alloc_size_zero 0 run --device $e --test alloc --iterations 10 --size 0
	# the IOMMU-API options, exhaust, verify --scope
	t_bad2 scope per-group run --test iommu_map --device all --iterations 10 --scope per-group
	t_bad2 flush batch:0 run --test iommu_map --device all --iterations 10 --flush batch:0
	t_bad2 flush_name lazy run --test iommu_map --device all --iterations 10 --flush lazy
	t_bad2 iova_limit 31 run --test iommu_map --device all --iterations 10 --iova-limit 31
	t_bad2 live 0 run --test iommu_map --device all --iterations 10 --live 0
	t_bad2 batch_iommu_map 5000 run --test iommu_map --device all --iterations 10 --batch 5000
	t_bad2 device_twice twice run --test iommu_map --device "$EDU1,$EDU1" --iterations 10
	t_bad2 scope_non_iommu "IOMMU API" run --test map_single --device "$EDU1" --iterations 10 --scope per-device
	t_bad2 exhaust_what pages exhaust pages
	t_bad2 exhaust_max_contexts max-contexts exhaust domains --max-contexts x
	t_bad2 exhaust_mask mask-bits exhaust iova --device "$EDU1" --mask-bits 8
	t_bad2 exhaust_api api exhaust iova --device "$EDU1" --api vfio
	t_bad2 exhaust_iova_device device exhaust iova
	t_bad2 verify_scope scope verify --scope both
}

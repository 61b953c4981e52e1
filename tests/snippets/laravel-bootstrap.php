<?php
// Prepended (php -d auto_prepend_file=...) so that a Laravel-style snippet
// using the Http facade runs outside a Laravel application.
// Laravel 8 on PHP 8.2 emits E_DEPRECATED (dynamic properties); keep output clean.
error_reporting(E_ALL & ~E_DEPRECATED);

require_once '/usr/share/php/Illuminate/autoload.php';
require_once '/usr/share/php/GuzzleHttp/autoload.php';

$__app = new Illuminate\Container\Container;
Illuminate\Container\Container::setInstance($__app);
$__app->singleton(Illuminate\Http\Client\Factory::class, function () {
    return new Illuminate\Http\Client\Factory;
});
Illuminate\Support\Facades\Facade::setFacadeApplication($__app);
class_alias(Illuminate\Support\Facades\Http::class, 'Http');
unset($__app);
